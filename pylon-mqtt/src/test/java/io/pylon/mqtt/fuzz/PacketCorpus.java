package io.pylon.mqtt.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Well-formed MQTT packets of every type for MQTT 3.1, 3.1.1 and 5, encoded by Netty's own {@link
 * MqttEncoder} so that they are exactly what real clients send. The mutator then breaks them.
 *
 * <p>Topics, filters, ids and properties come from small vocabularies on purpose: publishes should
 * hit the fuzzing connection's own subscriptions and acknowledgements should hit packet ids really
 * in flight, so that the outbound half of the broker is exercised too, not just parsing.
 */
final class PacketCorpus {

  /** Four ASCII bytes that the mutator swaps for invalid UTF-8 of the same length. */
  static final String UTF8_MARKER = "~%~%";

  static final byte[] UTF8_MARKER_BYTES = UTF8_MARKER.getBytes(StandardCharsets.US_ASCII);

  /**
   * A topic with U+0000, which MQTT forbids. Netty's encoder refuses to write it, so the packet is
   * encoded with U+0001 in its place and patched afterwards.
   */
  private static final String NUL_TOPIC = "nul\u0001x";

  private static final byte[] NUL_TOPIC_BYTES = NUL_TOPIC.getBytes(StandardCharsets.US_ASCII);

  private static final String[] TOPICS = {
    "a",
    "a/b",
    "a/b/c",
    "dt/fleet/dev-1/telemetry",
    "dt/fleet/dev-2/telemetry",
    "sport/tennis/p1",
    "$aws/things/t1/shadow/update",
    "$aws/rules/rule1/a/b",
    "/",
    "a//b",
    "é/€/😀",
    "m/" + UTF8_MARKER,
  };

  /**
   * Topics one profile or the other refuses (reserved, too long, too deep, U+0000). Refusing a
   * publish ends an MQTT 3.1.1 connection, so they are rarer than the others.
   */
  private static final String[] HOSTILE_TOPICS = {
    "$SYS/broker/load", "$foo/bar", "a".repeat(300), "1/2/3/4/5/6/7/8/9/10/11/12", NUL_TOPIC,
  };

  /** Retained publishes only go to these, so the retained store stays small however long we run. */
  private static final String[] RETAINED_TOPICS = {"r/1", "r/2", "r/3", "dt/fleet/dev-1/state"};

  private static final String[] FILTERS = {
    "#",
    "+",
    "a/#",
    "a/+",
    "+/+",
    "dt/fleet/+/telemetry",
    "dt/#",
    "$aws/things/+/shadow/#",
    "$SYS/#",
    "$share/g1/a/#",
    "$share/g2/dt/fleet/+/telemetry",
    "sport/+/p1",
    "r/+",
    "m/" + UTF8_MARKER,
    "a/b+",
    "a/#/b",
    "$share//a",
    "$share/g/",
    "b".repeat(300),
    "+/+/+/+/+/+/+/+/+/+",
  };

  private final Random random;
  private boolean aws;
  private final EmbeddedChannel encoder4 = new EmbeddedChannel(MqttEncoder.INSTANCE);
  private final EmbeddedChannel encoder5 = new EmbeddedChannel(MqttEncoder.INSTANCE);
  private final byte[] bigPayload;

  PacketCorpus(long seed) {
    this.random = new Random(seed);
    this.bigPayload = new byte[140_000];
    random.nextBytes(bigPayload);
    // Encoding is not what is under test: keep Netty's paranoid leak tracking off these buffers.
    UnpooledByteBufAllocator untracked = new UnpooledByteBufAllocator(false, true);
    encoder4.config().setAllocator(untracked);
    encoder5.config().setAllocator(untracked);
    // The encoder takes the protocol version for every later packet from the CONNECT it encoded.
    encode(encoder4, connect(4, "init", true, 60, false));
    encode(encoder5, connect(5, "init", true, 60, false));
  }

  /**
   * Makes the packets that follow depend only on {@code seed}, so one connection can be replayed.
   * For the AWS profile, what it refuses by closing (QoS 2, subscription identifiers) is made rare,
   * or few connections would get far.
   */
  void reseed(long seed, boolean awsProfile) {
    random.setSeed(seed);
    aws = awsProfile;
  }

  void close() {
    encoder4.finishAndReleaseAll();
    encoder5.finishAndReleaseAll();
  }

  // ---------------------------------------------------------------- encoding

  /** Encodes for a protocol version; 3 (MQTT 3.1) differs from 3.1.1 only in CONNECT. */
  byte[] encode(int version, MqttMessage message) {
    byte[] bytes = encode(version == 5 ? encoder5 : encoder4, message);
    int nul = Mutator.indexOf(bytes, NUL_TOPIC_BYTES);
    if (nul >= 0) {
      bytes[nul + 3] = 0;
    }
    return bytes;
  }

  private static byte[] encode(EmbeddedChannel encoder, MqttMessage message) {
    encoder.writeOutbound(message);
    ByteBuf buf = encoder.readOutbound();
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  // ---------------------------------------------------------------- CONNECT

  /**
   * A valid CONNECT, encoded. Version 3 gets the 3.1 protocol name; it shares the 3.1.1 encoder,
   * whose output for every other packet type is the same for both.
   */
  byte[] connectBytes(
      int version, String clientId, boolean cleanStart, int keepAlive, boolean will) {
    return encode(version, connect(version, clientId, cleanStart, keepAlive, will));
  }

  private MqttConnectMessage connect(
      int version, String clientId, boolean cleanStart, int keepAlive, boolean will) {
    String name = version == 3 ? "MQIsdp" : "MQTT";
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    MqttProperties willProps = MqttProperties.NO_PROPERTIES;
    if (version == 5) {
      props = new MqttProperties();
      if (!cleanStart && random.nextInt(4) == 0) {
        // Short expiries only: a persistent session lives in the broker until it expires.
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.SESSION_EXPIRY_INTERVAL, 1 + random.nextInt(5)));
      }
      if (random.nextBoolean()) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.RECEIVE_MAXIMUM, 1 + random.nextInt(20)));
      }
      if (random.nextInt(5) == 0) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.MAXIMUM_PACKET_SIZE, 30 + random.nextInt(3000)));
      }
      if (random.nextBoolean()) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.TOPIC_ALIAS_MAXIMUM, random.nextInt(10)));
      }
      if (random.nextInt(4) == 0) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.REQUEST_PROBLEM_INFORMATION, random.nextInt(2)));
      }
      if (random.nextInt(6) == 0) {
        props.add(new MqttProperties.UserProperty("k", "v" + UTF8_MARKER));
      }
      if (random.nextInt(200) == 0) {
        props.add(
            new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, "SCRAM-SHA-1"));
      }
      if (will) {
        willProps = new MqttProperties();
        if (random.nextBoolean()) {
          willProps.add(
              new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "text/plain"));
        }
      }
    }
    int willQos = will ? random.nextInt(3) : 0;
    boolean user = random.nextInt(4) == 0;
    boolean password = user && random.nextBoolean();
    MqttConnectVariableHeader header =
        new MqttConnectVariableHeader(
            name,
            version,
            user,
            password,
            will && random.nextBoolean(),
            willQos,
            will,
            cleanStart,
            keepAlive,
            props);
    MqttConnectPayload payload =
        new MqttConnectPayload(
            clientId,
            willProps,
            will ? topic() : null,
            will ? payload(16) : null,
            user ? "user" : null,
            password ? "secret".getBytes(StandardCharsets.UTF_8) : null);
    return new MqttConnectMessage(
        new MqttFixedHeader(MqttMessageType.CONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
        header,
        payload);
  }

  // ---------------------------------------------------------------- other packets

  /** One random well-formed packet after CONNECT, weighted towards what clients send most. */
  byte[] next(int version) {
    int r = random.nextInt(1000);
    if (r < 450) {
      return encode(version, publish(version));
    } else if (r < 560) {
      return encode(version, subscribe(version));
    } else if (r < 610) {
      return encode(version, unsubscribe(version));
    } else if (r < 720) {
      return encode(version, pubReply(version, MqttMessageType.PUBACK));
    } else if (r < 770) {
      return encode(version, pubReply(version, MqttMessageType.PUBREC));
    } else if (r < 820) {
      return encode(version, pubReply(version, MqttMessageType.PUBREL));
    } else if (r < 870) {
      return encode(version, pubReply(version, MqttMessageType.PUBCOMP));
    } else if (r < 985) {
      return encode(version, simple(MqttMessageType.PINGREQ));
    } else if (r < 992) {
      // These three end the connection, so they are rare.
      return serverOnly(version);
    } else if (r < 997) {
      return encode(version, disconnect(version));
    } else if (version == 5) {
      return encode(version, auth());
    } else {
      return encode(version, simple(MqttMessageType.PINGREQ));
    }
  }

  /** A packet only a server sends, which a broker must refuse from a client. */
  byte[] serverOnly(int version) {
    switch (random.nextInt(4)) {
      case 0:
        return encode(
            version,
            new MqttConnAckMessage(
                fixed(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
                new MqttConnAckVariableHeader(
                    MqttConnectReturnCode.CONNECTION_ACCEPTED,
                    random.nextBoolean(),
                    version == 5 ? new MqttProperties() : MqttProperties.NO_PROPERTIES)));
      case 1:
        return encode(
            version,
            new MqttSubAckMessage(
                fixed(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(
                    packetId(), MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(0, 1, 0x80)));
      case 2:
        return encode(
            version,
            new MqttUnsubAckMessage(
                fixed(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(
                    packetId(), MqttProperties.NO_PROPERTIES),
                version == 5
                    ? new MqttUnsubAckPayload((short) 0, (short) 0x11)
                    : new MqttUnsubAckPayload()));
      default:
        return encode(version, simple(MqttMessageType.PINGRESP));
    }
  }

  MqttPublishMessage publish(int version) {
    int q = random.nextInt(100);
    int qos = q < 45 ? 0 : q < (aws ? 98 : 80) ? 1 : 2;
    boolean retain = random.nextInt(10) == 0;
    String topic = retain ? pick(RETAINED_TOPICS) : topic();
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    byte[] body = retain ? payload(32) : payload(random.nextInt(500) == 0 ? 20_000 : 64);
    if (retain && random.nextInt(4) == 0) {
      body = new byte[0];
    }
    if (version == 5 && random.nextBoolean()) {
      props = new MqttProperties();
      if (random.nextInt(3) == 0) {
        int alias = random.nextInt(12);
        props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
        if (random.nextBoolean()) {
          // Reuse of an alias set earlier (or not: then the broker must refuse it).
          topic = "";
        }
      }
      if (random.nextInt(4) == 0) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.PAYLOAD_FORMAT_INDICATOR, random.nextInt(2)));
        if (random.nextBoolean()) {
          body = "héllo".getBytes(StandardCharsets.UTF_8);
        }
      }
      if (random.nextInt(4) == 0) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.PUBLICATION_EXPIRY_INTERVAL, random.nextInt(100)));
      }
      if (random.nextInt(5) == 0) {
        props.add(
            new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "application/json"));
      }
      if (random.nextInt(5) == 0) {
        props.add(
            new MqttProperties.StringProperty(
                MqttProperties.RESPONSE_TOPIC, "reply/" + UTF8_MARKER));
      }
      if (random.nextInt(5) == 0) {
        props.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, payload(8)));
      }
      if (random.nextInt(4) == 0) {
        for (int i = random.nextInt(3); i >= 0; i--) {
          props.add(new MqttProperties.UserProperty("key" + i, "value" + UTF8_MARKER));
        }
      }
      if (random.nextInt(20) == 0) {
        // Clients must not send a subscription identifier; the broker has to cope with one anyway.
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.SUBSCRIPTION_IDENTIFIER, 1 + random.nextInt(300)));
      }
    }
    return new MqttPublishMessage(
        new MqttFixedHeader(
            MqttMessageType.PUBLISH, random.nextInt(20) == 0, MqttQoS.valueOf(qos), retain, 0),
        new MqttPublishVariableHeader(topic, qos == 0 ? -1 : packetId(), props),
        Unpooled.wrappedBuffer(body));
  }

  /** A PUBLISH larger than the AWS profile's 128 KB maximum packet size, encoded. */
  byte[] oversized(int version) {
    return encode(version, oversizedPublish());
  }

  private MqttPublishMessage oversizedPublish() {
    return new MqttPublishMessage(
        new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
        new MqttPublishVariableHeader("a/b", packetId(), MqttProperties.NO_PROPERTIES),
        Unpooled.wrappedBuffer(bigPayload));
  }

  MqttSubscribeMessage subscribe(int version) {
    List<MqttTopicSubscription> subscriptions = new ArrayList<>();
    int n = random.nextInt(12) == 0 ? 9 + random.nextInt(4) : 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      MqttSubscriptionOption option =
          version == 5
              ? new MqttSubscriptionOption(
                  MqttQoS.valueOf(random.nextInt(3)),
                  random.nextInt(6) == 0,
                  random.nextBoolean(),
                  MqttSubscriptionOption.RetainedHandlingPolicy.valueOf(random.nextInt(3)))
              : MqttSubscriptionOption.onlyFromQos(MqttQoS.valueOf(random.nextInt(3)));
      subscriptions.add(new MqttTopicSubscription(pick(FILTERS), option));
    }
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (version == 5 && random.nextInt(aws ? 50 : 4) == 0) {
      props = new MqttProperties();
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.SUBSCRIPTION_IDENTIFIER, 1 + random.nextInt(1000)));
    }
    return new MqttSubscribeMessage(
        fixed(MqttMessageType.SUBSCRIBE, MqttQoS.AT_LEAST_ONCE),
        new MqttMessageIdAndPropertiesVariableHeader(packetId(), props),
        new MqttSubscribePayload(subscriptions));
  }

  MqttUnsubscribeMessage unsubscribe(int version) {
    List<String> filters = new ArrayList<>();
    for (int i = random.nextInt(3); i >= 0; i--) {
      filters.add(pick(FILTERS));
    }
    return new MqttUnsubscribeMessage(
        fixed(MqttMessageType.UNSUBSCRIBE, MqttQoS.AT_LEAST_ONCE),
        new MqttMessageIdAndPropertiesVariableHeader(packetId(), MqttProperties.NO_PROPERTIES),
        new MqttUnsubscribePayload(filters));
  }

  MqttMessage pubReply(int version, MqttMessageType type) {
    MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
    Object header;
    if (version == 5) {
      byte reason = (byte) (random.nextInt(5) == 0 ? 0x80 + random.nextInt(0x20) : 0);
      MqttProperties props = MqttProperties.NO_PROPERTIES;
      if (random.nextInt(5) == 0) {
        props = new MqttProperties();
        props.add(
            new MqttProperties.StringProperty(MqttProperties.REASON_STRING, "why " + UTF8_MARKER));
      }
      header = new MqttPubReplyMessageVariableHeader(packetId(), reason, props);
    } else {
      header = MqttMessageIdVariableHeader.from(packetId());
    }
    return new MqttMessage(fixed(type, qos), header);
  }

  MqttMessage disconnect(int version) {
    if (version != 5) {
      return simple(MqttMessageType.DISCONNECT);
    }
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (random.nextInt(3) == 0) {
      props = new MqttProperties();
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.SESSION_EXPIRY_INTERVAL, random.nextInt(3)));
    }
    byte reason = (byte) (random.nextBoolean() ? 0 : 4);
    return new MqttMessage(
        fixed(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
        new MqttReasonCodeAndPropertiesVariableHeader(reason, props));
  }

  MqttMessage auth() {
    MqttProperties props = new MqttProperties();
    props.add(
        new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, "SCRAM-SHA-1"));
    return new MqttMessage(
        fixed(MqttMessageType.AUTH, MqttQoS.AT_MOST_ONCE),
        new MqttReasonCodeAndPropertiesVariableHeader((byte) 0x18, props));
  }

  static MqttMessage simple(MqttMessageType type) {
    return new MqttMessage(fixed(type, MqttQoS.AT_MOST_ONCE));
  }

  private static MqttFixedHeader fixed(MqttMessageType type, MqttQoS qos) {
    return new MqttFixedHeader(type, false, qos, false, 0);
  }

  /** Mostly ids 1..20, which the broker's own outbound PUBLISHes use; sometimes any id. */
  private int packetId() {
    return random.nextInt(10) == 0 ? 1 + random.nextInt(0xFFFF) : 1 + random.nextInt(20);
  }

  private byte[] payload(int max) {
    byte[] b = new byte[random.nextInt(max + 1)];
    random.nextBytes(b);
    return b;
  }

  private String topic() {
    return random.nextInt(50) == 0 ? pick(HOSTILE_TOPICS) : pick(TOPICS);
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }
}
