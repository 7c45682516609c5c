package io.pylon.store.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.UserProperty;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropertiesCodecTest {

  @Test
  void encode_none_isNull() {
    assertThat(PropertiesCodec.encode(MessageProperties.NONE)).isNull();
    assertThat(PropertiesCodec.encode(null)).isNull();
    assertThat(PropertiesCodec.encode(new MessageProperties(null, null, null, null, null)))
        .isNull();
  }

  @Test
  void decode_null_isTheSharedNone() {
    assertThat(PropertiesCodec.decode(null)).isSameAs(MessageProperties.NONE);
  }

  @Test
  void encode_payloadFormatIndicatorOnly_isThreeBytes() {
    byte[] stored = PropertiesCodec.encode(new MessageProperties(1, null, null, null, List.of()));

    // format 1, present = indicator, indicator 1, no user properties
    assertThat(stored).containsExactly(1, 0b0001, 1, 0);
  }

  @Test
  void encode_writtenLayout_isAsDocumented() {
    byte[] stored =
        PropertiesCodec.encode(
            new MessageProperties(
                null, "a", null, new byte[] {(byte) 0xFF}, List.of(new UserProperty("k", "v"))));

    assertThat(stored).containsExactly(1, 0b1010, 1, 'a', 1, 0xFF, 1, 1, 'k', 1, 'v');
  }

  @Test
  void roundTrip_unusualIndicatorValues_keepTheirInt() {
    for (int indicator : new int[] {0, 1, 127, 128, Integer.MAX_VALUE, -1, Integer.MIN_VALUE}) {
      MessageProperties decoded =
          PropertiesCodec.decode(
              PropertiesCodec.encode(
                  new MessageProperties(indicator, null, null, null, List.of())));
      assertThat(decoded.payloadFormatIndicator()).isEqualTo(indicator);
    }
  }

  @Test
  void roundTrip_longStringsAndManyUserProperties() {
    String longText = "x".repeat(70_000);
    List<UserProperty> many =
        java.util.stream.IntStream.range(0, 300)
            .mapToObj(i -> new UserProperty("n" + i, "v" + i))
            .toList();
    MessageProperties properties =
        new MessageProperties(1, longText, longText, new byte[200], many);

    MessageProperties decoded = PropertiesCodec.decode(PropertiesCodec.encode(properties));

    assertThat(decoded.contentType()).isEqualTo(longText);
    assertThat(decoded.responseTopic()).isEqualTo(longText);
    assertThat(decoded.correlationData()).hasSize(200);
    assertThat(decoded.userProperties()).isEqualTo(many);
  }

  @Test
  void decode_unknownFormat_fails() {
    assertThatThrownBy(() -> PropertiesCodec.decode(new byte[] {2, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown properties format 2");
  }

  @Test
  void decode_unknownPresenceBit_fails() {
    assertThatThrownBy(() -> PropertiesCodec.decode(new byte[] {1, 0b1_0000, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown property bits");
  }

  @Test
  void decode_lengthPastTheEnd_fails() {
    assertThatThrownBy(() -> PropertiesCodec.decode(new byte[] {1, 0b0010, 5, 'a'}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runs past the end");
  }

  @Test
  void decode_hugeUserPropertyCount_failsWithoutAllocating() {
    assertThatThrownBy(
            () ->
                PropertiesCodec.decode(
                    new byte[] {1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runs past the end");
  }

  @Test
  void decode_truncated_fails() {
    assertThatThrownBy(() -> PropertiesCodec.decode(new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("truncated");
  }

  @Test
  void decode_trailingBytes_fails() {
    assertThatThrownBy(() -> PropertiesCodec.decode(new byte[] {1, 0, 0, 9}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("1 unexpected bytes after the properties");
  }
}
