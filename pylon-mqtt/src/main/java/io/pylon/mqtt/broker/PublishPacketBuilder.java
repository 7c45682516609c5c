package io.pylon.mqtt.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.session.Delivery;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes the PUBLISH packets one connection sends, straight into a pooled buffer: MQTT 5
 * properties (remaining message expiry, subscription identifiers), the outbound topic aliases this
 * client has been told about, and the exact encoded size checked against the client's Maximum
 * Packet Size. It owns the outbound alias table, which must change only when a packet carrying a
 * new alias is really sent, so that table and the size check live together. One instance per
 * connection, used on its event loop only.
 *
 * <p>Outbound PUBLISH is the one packet the broker encodes itself (ADR 0003): it is written once
 * per delivery, a thousand times for one message in a fan-out, and going through Netty's packet
 * objects and encoder cost about 400 bytes of garbage per delivery. Here a delivery costs its
 * buffer from the pool and nothing else.
 */
final class PublishPacketBuilder {

  private static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
  private static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
  private static final int CONTENT_TYPE = 0x03;
  private static final int RESPONSE_TOPIC = 0x08;
  private static final int CORRELATION_DATA = 0x09;
  private static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
  private static final int TOPIC_ALIAS = 0x23;
  private static final int USER_PROPERTY = 0x26;

  /** The largest Remaining Length a four-byte variable byte integer can carry. */
  private static final long MAX_REMAINING_LENGTH = 268_435_455;

  private final ConnectionTerms terms;
  private final Clock clock;

  /** Topic to alias, for aliases the client has seen; created on the first aliased message. */
  private Map<String, Integer> outboundAliases;

  PublishPacketBuilder(ConnectionTerms terms, Clock clock) {
    this.terms = terms;
    this.clock = clock;
  }

  /**
   * The encoded packet for one delivery, or null when it would exceed the client's Maximum Packet
   * Size: such a message is discarded for this client as if it had been delivered [MQTT-3.1.2-25].
   */
  ByteBuf build(ByteBufAllocator alloc, Delivery delivery, int packetId, boolean dup) {
    ApplicationMessage m = delivery.message();
    int qos = delivery.qos();
    String topic = m.topic();
    boolean mqtt5 = terms.mqtt5();
    long expiry = -1;
    int alias = 0;
    boolean newAlias = false;
    long propertyBytes = 0;
    if (mqtt5) {
      expiry = m.remainingExpirySeconds(clock.millis());
      if (terms.topicAliasMaximum > 0) {
        // Topic aliases towards the client [MQTT-3.3.2-11]: the first use of a topic sends the
        // name and a new alias, later uses only the alias. Aliases are handed out until the
        // client's maximum is reached; later topics go out by name.
        if (outboundAliases == null) {
          outboundAliases = new HashMap<>();
        }
        Integer known = outboundAliases.get(topic);
        if (known != null) {
          alias = known;
        } else if (outboundAliases.size() < terms.topicAliasMaximum) {
          alias = outboundAliases.size() + 1;
          newAlias = true;
        }
      }
      propertyBytes = propertiesLength(m.properties(), expiry, delivery.subscriptionIds(), alias);
    }
    boolean topicByAlias = alias != 0 && !newAlias;
    int topicBytes = topicByAlias ? 0 : ByteBufUtil.utf8Bytes(topic);
    int payloadLength = m.payload().length;
    long remaining = 2L + topicBytes + (qos > 0 ? 2 : 0) + payloadLength;
    if (mqtt5) {
      remaining += varIntSize(propertyBytes) + propertyBytes;
    }
    long packetSize = 1 + varIntSize(remaining) + remaining;
    // A message that arrived at the protocol's largest size can outgrow it by the properties added
    // for this subscriber; such a packet cannot be encoded at all.
    if (packetSize > terms.maxPacketSize || remaining > MAX_REMAINING_LENGTH) {
      return null;
    }
    if (newAlias) {
      // Only now: an alias the client never saw must not be used by name-less packets later.
      outboundAliases.put(topic, alias);
    }
    ByteBuf out = alloc.ioBuffer((int) packetSize);
    out.writeByte(0x30 | (dup ? 0x08 : 0) | qos << 1 | (delivery.retain() ? 0x01 : 0));
    writeVarInt(out, (int) remaining);
    out.writeShort(topicBytes);
    if (!topicByAlias) {
      ByteBufUtil.writeUtf8(out, topic);
    }
    if (qos > 0) {
      out.writeShort(packetId);
    }
    if (mqtt5) {
      writeVarInt(out, (int) propertyBytes);
      writeProperties(out, m.properties(), expiry, delivery.subscriptionIds(), alias);
    }
    out.writeBytes(m.payload());
    return out;
  }

  private static long propertiesLength(
      MessageProperties mp, long expiry, int[] subscriptionIds, int alias) {
    long n = alias != 0 ? 3 : 0;
    if (expiry >= 0) {
      n += 5;
    }
    for (int id : subscriptionIds) {
      n += 1 + varIntSize(id);
    }
    if (mp == MessageProperties.NONE) {
      return n;
    }
    if (mp.payloadFormatIndicator() != null) {
      n += 2;
    }
    if (mp.contentType() != null) {
      n += 3 + ByteBufUtil.utf8Bytes(mp.contentType());
    }
    if (mp.responseTopic() != null) {
      n += 3 + ByteBufUtil.utf8Bytes(mp.responseTopic());
    }
    if (mp.correlationData() != null) {
      n += 3 + mp.correlationData().length;
    }
    List<UserProperty> user = mp.userProperties();
    for (int i = 0; i < user.size(); i++) {
      UserProperty up = user.get(i);
      n += 5 + ByteBufUtil.utf8Bytes(up.name()) + ByteBufUtil.utf8Bytes(up.value());
    }
    return n;
  }

  private static void writeProperties(
      ByteBuf out, MessageProperties mp, long expiry, int[] subscriptionIds, int alias) {
    if (mp.payloadFormatIndicator() != null) {
      out.writeByte(PAYLOAD_FORMAT_INDICATOR);
      out.writeByte(mp.payloadFormatIndicator());
    }
    if (expiry >= 0) {
      out.writeByte(MESSAGE_EXPIRY_INTERVAL);
      out.writeInt((int) expiry);
    }
    if (mp.contentType() != null) {
      out.writeByte(CONTENT_TYPE);
      writeString(out, mp.contentType());
    }
    if (mp.responseTopic() != null) {
      out.writeByte(RESPONSE_TOPIC);
      writeString(out, mp.responseTopic());
    }
    if (mp.correlationData() != null) {
      out.writeByte(CORRELATION_DATA);
      out.writeShort(mp.correlationData().length);
      out.writeBytes(mp.correlationData());
    }
    for (int id : subscriptionIds) {
      out.writeByte(SUBSCRIPTION_IDENTIFIER);
      writeVarInt(out, id);
    }
    if (alias != 0) {
      out.writeByte(TOPIC_ALIAS);
      out.writeShort(alias);
    }
    List<UserProperty> user = mp.userProperties();
    for (int i = 0; i < user.size(); i++) {
      UserProperty up = user.get(i);
      out.writeByte(USER_PROPERTY);
      writeString(out, up.name());
      writeString(out, up.value());
    }
  }

  private static void writeString(ByteBuf out, String s) {
    out.writeShort(ByteBufUtil.utf8Bytes(s));
    ByteBufUtil.writeUtf8(out, s);
  }

  private static void writeVarInt(ByteBuf out, int value) {
    int v = value;
    do {
      int digit = v & 0x7F;
      v >>>= 7;
      out.writeByte(v > 0 ? digit | 0x80 : digit);
    } while (v > 0);
  }

  private static int varIntSize(long value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }
}
