package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Differential tests: Netty's codec-mqtt is the oracle for the load tool's PUBLISH fast path. */
class PublishCodecTest {

  private static final byte[] PAYLOAD = Payload.template(200);

  @ParameterizedTest
  @CsvSource({"0, false", "1, false", "2, false", "0, true", "1, true", "2, true"})
  void encodePublish_decodedByNettyCodec_yieldsSameTopicQosIdAndPayload(int qos, boolean mqtt5) {
    EmbeddedChannel ch = nettyCodecChannel(mqtt5);
    String topic = "bench/pb-1/fan-in/7/é";

    ByteBuf packet =
        PublishCodec.encodePublish(
            ByteBufAllocator.DEFAULT,
            topic.getBytes(StandardCharsets.UTF_8),
            qos,
            4711,
            PAYLOAD,
            mqtt5);
    ch.writeInbound(packet);
    MqttPublishMessage decoded = ch.readInbound();

    try {
      assertThat(decoded.decoderResult().isSuccess()).isTrue();
      assertThat(decoded.variableHeader().topicName()).isEqualTo(topic);
      assertThat(decoded.fixedHeader().qosLevel().value()).isEqualTo(qos);
      if (qos > 0) {
        assertThat(decoded.variableHeader().packetId()).isEqualTo(4711);
      }
      assertThat(bytes(decoded.payload())).isEqualTo(PAYLOAD);
    } finally {
      decoded.release();
      ch.finishAndReleaseAll();
    }
  }

  @ParameterizedTest
  @CsvSource({"0, false", "1, false", "2, true"})
  void frameDecoder_nettyEncodedPublishFedOneByteAtATime_yieldsOnePublishWithPayload(
      int qos, boolean mqtt5) {
    EmbeddedChannel encoder = nettyCodecChannel(mqtt5);
    MqttProperties props = new MqttProperties();
    if (mqtt5) {
      props.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "x/y"));
    }
    encoder.writeOutbound(
        MqttMessageBuilders.publish()
            .topicName("a/b")
            .qos(MqttQoS.valueOf(qos))
            .messageId(9)
            .properties(props)
            .payload(Unpooled.wrappedBuffer(PAYLOAD))
            .build());
    ByteBuf wire = encoder.readOutbound();
    EmbeddedChannel decoder = new EmbeddedChannel(new PublishCodec.FrameDecoder(1 << 20, mqtt5));

    while (wire.isReadable()) {
      decoder.writeInbound(wire.readRetainedSlice(1));
    }
    wire.release();
    PublishCodec.InboundPublish p = decoder.readInbound();

    try {
      assertThat(p.qos()).isEqualTo(qos);
      assertThat(p.packetId()).isEqualTo(qos > 0 ? 9 : 0);
      assertThat(bytes(p.payload())).isEqualTo(PAYLOAD);
      Object nothingMore = decoder.readInbound();
      assertThat(nothingMore).isNull();
    } finally {
      p.payload().release();
      decoder.finishAndReleaseAll();
      encoder.finishAndReleaseAll();
    }
  }

  @Test
  void frameDecoder_otherPacketTypes_passOnAsWholeFramesThatNettyDecodes() {
    EmbeddedChannel ch =
        new EmbeddedChannel(new PublishCodec.FrameDecoder(1 << 20, false), new MqttDecoder());
    // PUBACK for packet id 0x0102, then PINGRESP, in one read.
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x40, 0x02, 0x01, 0x02, (byte) 0xd0, 0x00}));

    MqttMessage puback = ch.readInbound();
    MqttMessage pingresp = ch.readInbound();

    assertThat(puback.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
    assertThat(((MqttMessageIdVariableHeader) puback.variableHeader()).messageId())
        .isEqualTo(0x0102);
    assertThat(pingresp.fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
    ch.finishAndReleaseAll();
  }

  @Test
  void frameDecoder_topicLengthPastPacketEnd_failsInsteadOfReadingTheNextPacket() {
    EmbeddedChannel ch = new EmbeddedChannel(new PublishCodec.FrameDecoder(1 << 20, false));
    // PUBLISH QoS 0, remaining length 4, topic length 10: the topic would run into the following
    // bytes.
    byte[] bad = {0x30, 0x04, 0x00, 0x0a, 'a', 'b', (byte) 0xd0, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};

    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bad)))
        .isInstanceOf(DecoderException.class);
    ch.finishAndReleaseAll();
  }

  @Test
  void frameDecoder_packetLargerThanLimit_fails() {
    EmbeddedChannel ch = new EmbeddedChannel(new PublishCodec.FrameDecoder(100, false));
    // Remaining length 200 (0xc8 0x01).
    byte[] header = {0x30, (byte) 0xc8, 0x01};

    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(header)))
        .isInstanceOf(DecoderException.class);
    ch.finishAndReleaseAll();
  }

  @Test
  void varIntBytes_boundaries_matchTheSpecTable() {
    // [MQTT-1.5.5]: 127 | 16 383 | 2 097 151 | 268 435 455 are the largest values of 1..4 bytes.
    for (int[] row :
        new int[][] {
          {0, 1},
          {127, 1},
          {128, 2},
          {16_383, 2},
          {16_384, 3},
          {2_097_151, 3},
          {2_097_152, 4},
          {PublishCodec.MAX_REMAINING_LENGTH, 4}
        }) {
      ByteBuf b = Unpooled.buffer();
      PublishCodec.writeVarInt(b, row[0]);
      assertThat(b.readableBytes()).as("bytes for %d", row[0]).isEqualTo(row[1]);
      assertThat(PublishCodec.varIntBytes(row[0])).isEqualTo(row[1]);
      b.release();
    }
  }

  /**
   * A channel with Netty's codec whose protocol version is set the way a client sets it: by sending
   * CONNECT.
   */
  private static EmbeddedChannel nettyCodecChannel(boolean mqtt5) {
    EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);
    ch.writeOutbound(
        MqttMessageBuilders.connect()
            .clientId("t")
            .protocolVersion(mqtt5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1)
            .build());
    ByteBuf connect = ch.readOutbound();
    connect.release();
    return ch;
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), out);
    return out;
  }
}
