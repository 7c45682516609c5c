package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RulePayloadTest {

  @Test
  void template_isJsonOfTheRequestedSize() throws Exception {
    byte[] payload = RulePayload.template(64);

    JsonNode json = Json.MAPPER.readTree(payload);

    assertThat(payload).hasSize(64);
    assertThat(json.path("pb").asText()).hasSize(32);
    assertThat(json.path("pad").asText()).hasSize(64 - RulePayload.MIN_BYTES);
  }

  @Test
  void template_smallestSize_hasAnEmptyPad() throws Exception {
    byte[] payload = RulePayload.template(RulePayload.MIN_BYTES);

    assertThat(Json.MAPPER.readTree(payload).path("pad").asText()).isEmpty();
    assertThatThrownBy(() -> RulePayload.template(RulePayload.MIN_BYTES - 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writeHeader_thenFind_returnsTheSameValues() {
    byte[] payload = RulePayload.template(80);
    long sent = 0x8123_4567_89ab_cdefL; // negative, as nanoTime may be

    RulePayload.writeHeader(payload, sent, 7, -2);
    RulePayload.Header h = RulePayload.find(Unpooled.wrappedBuffer(payload));

    assertThat(h).isEqualTo(new RulePayload.Header(sent, 7, -2));
  }

  @Test
  void find_inARulesReserialisedOutput_findsTheMemberWhereverItIs() throws Exception {
    byte[] payload = RulePayload.template(64);
    RulePayload.writeHeader(payload, 123_456_789L, 3, 42);
    // What SELECT *, topic(5) AS device makes of it, members reordered and spaced.
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("device", "3");
    out.setAll((ObjectNode) Json.MAPPER.readTree(payload));
    byte[] output = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(out);

    RulePayload.Header h = RulePayload.find(Unpooled.wrappedBuffer(output));

    assertThat(h).isEqualTo(new RulePayload.Header(123_456_789L, 3, 42));
  }

  @Test
  void find_withoutTheMemberOrWithBadDigits_returnsNull() {
    assertThat(RulePayload.find(Unpooled.wrappedBuffer(bytes("{\"temp\":1}")))).isNull();
    assertThat(
            RulePayload.find(
                Unpooled.wrappedBuffer(bytes("{\"pb\":\"0000000000000000000000000000000g\"}"))))
        .isNull();
    assertThat(RulePayload.find(Unpooled.wrappedBuffer(bytes("{\"pb\":\"00\"}")))).isNull();
  }

  @Test
  void find_readsOnlyTheReadableBytes() {
    byte[] payload = RulePayload.template(64);
    RulePayload.writeHeader(payload, 5, 1, 1);

    assertThat(RulePayload.find(Unpooled.wrappedBuffer(payload, 0, 20))).isNull();
    assertThat(RulePayload.find(Unpooled.wrappedBuffer(payload, 1, 63))).isNotNull();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
