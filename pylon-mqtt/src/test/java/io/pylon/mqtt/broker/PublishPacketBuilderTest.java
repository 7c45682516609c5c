package io.pylon.mqtt.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.session.Delivery;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker encodes outbound PUBLISH packets itself; Netty's decoder, which clients' codecs agree
 * with, must read back exactly what was meant, for every combination of version, QoS, flags and
 * MQTT 5 property.
 */
class PublishPacketBuilderTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
  private static final String[] TOPICS = {"a", "a/b/c", "dévices/ü/温度", "$aws/things/t/x", "s p"};

  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void closeChannels() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void randomDeliveries_decodeToWhatWasMeant() {
    long seed = Long.getLong("publishpacket.seed", 0x9A5C0DEL);
    Random random = new Random(seed);
    for (int i = 0; i < 5_000; i++) {
      int version = random.nextInt(3) + 3;
      ConnectionTerms terms = terms(version, 0);
      Delivery delivery = randomDelivery(random);
      int packetId = 1 + random.nextInt(65_535);
      boolean dup = delivery.qos() > 0 && random.nextBoolean();
      ByteBuf packet =
          new PublishPacketBuilder(terms, CLOCK)
              .build(ByteBufAllocator.DEFAULT, delivery, packetId, dup);
      MqttPublishMessage decoded = decode(version, packet);
      String context = "seed " + seed + ", case " + i + ", MQTT " + version + ": " + delivery;
      assertThat(decoded.fixedHeader().messageType())
          .as(context)
          .isEqualTo(MqttMessageType.PUBLISH);
      assertThat(decoded.fixedHeader().qosLevel().value()).as(context).isEqualTo(delivery.qos());
      assertThat(decoded.fixedHeader().isDup()).as(context).isEqualTo(dup);
      assertThat(decoded.fixedHeader().isRetain()).as(context).isEqualTo(delivery.retain());
      assertThat(decoded.variableHeader().topicName())
          .as(context)
          .isEqualTo(delivery.message().topic());
      assertThat(decoded.variableHeader().packetId())
          .as(context)
          .isEqualTo(delivery.qos() == 0 ? -1 : packetId);
      assertThat(ByteBufUtil.getBytes(decoded.payload()))
          .as(context)
          .isEqualTo(delivery.message().payload());
      assertThat(decoded.variableHeader().properties().isEmpty())
          .as(context)
          .isEqualTo(version < 5 || expectedProperties(delivery).isEmpty());
      if (version == 5) {
        assertThat(describe(decoded.variableHeader().properties()))
            .as(context)
            .isEqualTo(expectedProperties(delivery));
      }
      decoded.release();
    }
  }

  @Test
  void topicAliases_nameFirstThenAliasOnly_untilTheClientsMaximum() {
    PublishPacketBuilder builder = new PublishPacketBuilder(terms(5, 2), CLOCK);
    assertThat(aliasAndTopic(builder, "t/1")).isEqualTo("1 t/1");
    assertThat(aliasAndTopic(builder, "t/1")).isEqualTo("1 ");
    assertThat(aliasAndTopic(builder, "t/2")).isEqualTo("2 t/2");
    assertThat(aliasAndTopic(builder, "t/3")).isEqualTo("- t/3");
    assertThat(aliasAndTopic(builder, "t/2")).isEqualTo("2 ");
  }

  @Test
  void overTheClientsMaximumPacketSize_notEncoded_andNoAliasSpent() {
    ConnectionTerms terms = terms(5, 5);
    PublishPacketBuilder builder = new PublishPacketBuilder(terms, CLOCK);
    byte[] payload = new byte[100];
    // Fixed header 2 + topic 2+3 + property length 1 + alias 3 + payload 100 = 111 bytes.
    terms.maxPacketSize = 110;
    assertThat(builder.build(ByteBufAllocator.DEFAULT, delivery("t/1", payload), 0, false))
        .isNull();
    terms.maxPacketSize = 111;
    ByteBuf fits = builder.build(ByteBufAllocator.DEFAULT, delivery("t/1", payload), 0, false);
    assertThat(fits.readableBytes()).isEqualTo(111);
    MqttPublishMessage decoded = decode(5, fits);
    assertThat(decoded.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS))
        .extracting(MqttProperties.MqttProperty::value)
        .as("the refused packet did not use up alias 1")
        .isEqualTo(1);
    decoded.release();
  }

  @Test
  void largePayload_fourByteRemainingLength() {
    byte[] payload = new byte[3_000_000];
    new Random(7).nextBytes(payload);
    ByteBuf packet =
        new PublishPacketBuilder(terms(4, 0), CLOCK)
            .build(ByteBufAllocator.DEFAULT, delivery("big", payload), 0, false);
    assertThat(packet.readableBytes()).isEqualTo(1 + 4 + 2 + 3 + payload.length);
    MqttPublishMessage decoded = decode(4, packet);
    assertThat(ByteBufUtil.getBytes(decoded.payload())).isEqualTo(payload);
    decoded.release();
  }

  private String aliasAndTopic(PublishPacketBuilder builder, String topic) {
    MqttPublishMessage decoded =
        decode(5, builder.build(ByteBufAllocator.DEFAULT, delivery(topic, new byte[1]), 0, false));
    MqttProperties.MqttProperty<?> alias =
        decoded.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS);
    String result =
        (alias == null ? "-" : alias.value().toString())
            + " "
            + decoded.variableHeader().topicName();
    decoded.release();
    return result;
  }

  private MqttPublishMessage decode(int version, ByteBuf packet) {
    EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder(8 * 1024 * 1024));
    channels.add(channel);
    channel
        .attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION"))
        .set(
            MqttVersion.fromProtocolNameAndLevel(version == 3 ? "MQIsdp" : "MQTT", (byte) version));
    channel.writeInbound(packet);
    MqttPublishMessage decoded = channel.readInbound();
    assertThat(decoded.decoderResult().isSuccess())
        .as("%s", decoded.decoderResult().cause())
        .isTrue();
    assertThat((Object) channel.readInbound()).as("one packet, nothing left over").isNull();
    return decoded;
  }

  private static ConnectionTerms terms(int version, int topicAliasMaximum) {
    ConnectionTerms terms = new ConnectionTerms();
    terms.protocolVersion = version;
    terms.topicAliasMaximum = topicAliasMaximum;
    return terms;
  }

  private static Delivery delivery(String topic, byte[] payload) {
    return new Delivery(
        new ApplicationMessage(
            topic, payload, Qos.AT_MOST_ONCE, false, MessageProperties.NONE, 0, "p"),
        0,
        false,
        Delivery.NO_IDS);
  }

  private static Delivery randomDelivery(Random random) {
    byte[] payload = new byte[random.nextInt(4) == 0 ? random.nextInt(20_000) : random.nextInt(64)];
    random.nextBytes(payload);
    MessageProperties properties = MessageProperties.NONE;
    if (random.nextBoolean()) {
      List<UserProperty> user = new ArrayList<>();
      for (int n = random.nextInt(3); n > 0; n--) {
        user.add(new UserProperty(pick(random), random.nextBoolean() ? "" : pick(random)));
      }
      properties =
          new MessageProperties(
              random.nextBoolean() ? random.nextInt(2) : null,
              random.nextBoolean() ? "application/json; charset=ütf-8" : null,
              random.nextBoolean() ? pick(random) + "/reply" : null,
              random.nextBoolean() ? randomBytes(random, random.nextInt(40)) : null,
              user);
    }
    long expiresAt = random.nextBoolean() ? 0 : NOW + 1 + random.nextInt(100_000_000);
    int[] ids = new int[random.nextInt(3)];
    for (int k = 0; k < ids.length; k++) {
      int[] sizes = {127, 128, 16_383, 16_384, 268_435_455};
      ids[k] =
          random.nextBoolean() ? sizes[random.nextInt(sizes.length)] : 1 + random.nextInt(1000);
    }
    int qos = random.nextInt(3);
    ApplicationMessage message =
        new ApplicationMessage(
            pick(random),
            payload,
            Qos.of(qos),
            random.nextBoolean(),
            properties,
            expiresAt,
            "publisher");
    return new Delivery(message, qos, random.nextBoolean(), ids);
  }

  private static String pick(Random random) {
    return TOPICS[random.nextInt(TOPICS.length)];
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** The properties a delivery must carry, as "id=value" strings in a canonical order. */
  private static List<String> expectedProperties(Delivery delivery) {
    ApplicationMessage m = delivery.message();
    MessageProperties p = m.properties();
    List<String> out = new ArrayList<>();
    if (p.payloadFormatIndicator() != null) {
      out.add("1=" + p.payloadFormatIndicator());
    }
    long expiry = m.remainingExpirySeconds(NOW);
    if (expiry >= 0) {
      out.add("2=" + expiry);
    }
    if (p.contentType() != null) {
      out.add("3=" + p.contentType());
    }
    if (p.responseTopic() != null) {
      out.add("8=" + p.responseTopic());
    }
    if (p.correlationData() != null) {
      out.add("9=" + ByteBufUtil.hexDump(p.correlationData()));
    }
    for (int id : delivery.subscriptionIds()) {
      out.add("11=" + id);
    }
    for (UserProperty up : p.userProperties()) {
      out.add("38=" + up.name() + ":" + up.value());
    }
    return out;
  }

  private static List<String> describe(MqttProperties properties) {
    List<String> out = new ArrayList<>();
    for (int id : new int[] {1, 2, 3, 8, 9}) {
      MqttProperties.MqttProperty<?> p = properties.getProperty(id);
      if (p != null) {
        Object v = p.value();
        out.add(id + "=" + (v instanceof byte[] ? ByteBufUtil.hexDump((byte[]) v) : v));
      }
    }
    for (MqttProperties.MqttProperty<?> p : properties.getProperties(11)) {
      out.add("11=" + p.value());
    }
    for (MqttProperties.MqttProperty<?> p : properties.getProperties(38)) {
      MqttProperties.StringPair pair = ((MqttProperties.UserProperty) p).value();
      out.add("38=" + pair.key + ":" + pair.value);
    }
    return out;
  }
}
