package io.pylon.mqtt.broker;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.session.Delivery;
import io.pylon.mqtt.topic.TopicRules;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the PUBLISH packets one connection sends: MQTT 5 properties (remaining message expiry,
 * subscription identifiers), the outbound topic aliases this client has been told about, and the
 * exact encoded size checked against the client's Maximum Packet Size. It owns the outbound alias
 * table, which must change only when a packet carrying a new alias is really sent, so that table
 * and the size check live together; kept out of the handler because none of it is connection state
 * machine, only encoding decisions. One instance per connection, used on its event loop only.
 */
final class PublishPacketBuilder {

  private final ConnectionTerms terms;
  private final Clock clock;

  /** Topic to alias, for aliases the client has seen; created on the first aliased message. */
  private Map<String, Integer> outboundAliases;

  PublishPacketBuilder(ConnectionTerms terms, Clock clock) {
    this.terms = terms;
    this.clock = clock;
  }

  /**
   * The packet for one delivery, or null when it would exceed the client's Maximum Packet Size:
   * such a message is discarded for this client as if it had been delivered [MQTT-3.1.2-25].
   */
  MqttPublishMessage build(Delivery delivery, int packetId, boolean dup) {
    ApplicationMessage m = delivery.message();
    String topic = m.topic();
    int qos = delivery.qos();
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    int newAlias = 0;
    if (terms.mqtt5()) {
      props = outboundProperties(m, delivery.subscriptionIds());
      if (terms.topicAliasMaximum > 0) {
        // Topic aliases towards the client [MQTT-3.3.2-11]: the first use of a topic sends the
        // name and a new alias, later uses only the alias. Aliases are handed out until the
        // client's maximum is reached; later topics go out by name.
        if (outboundAliases == null) {
          outboundAliases = new HashMap<>();
        }
        Integer known = outboundAliases.get(topic);
        if (known != null) {
          props = withProperty(props, MqttProperties.TOPIC_ALIAS, known);
          topic = "";
        } else if (outboundAliases.size() < terms.topicAliasMaximum) {
          newAlias = outboundAliases.size() + 1;
          props = withProperty(props, MqttProperties.TOPIC_ALIAS, newAlias);
        }
      }
    }
    if (publishPacketSize(topic, qos, props, m.payload().length) > terms.maxPacketSize) {
      return null;
    }
    if (newAlias != 0) {
      // Only now: an alias the client never saw must not be used by name-less packets later.
      outboundAliases.put(topic, newAlias);
    }
    return new MqttPublishMessage(
        new MqttFixedHeader(
            MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), delivery.retain(), 0),
        new MqttPublishVariableHeader(topic, qos == 0 ? -1 : packetId, props),
        Unpooled.wrappedBuffer(m.payload()));
  }

  private MqttProperties outboundProperties(ApplicationMessage m, int[] subscriptionIds) {
    MessageProperties mp = m.properties();
    long remaining = m.remainingExpirySeconds(clock.millis());
    if (mp == MessageProperties.NONE && remaining < 0 && subscriptionIds.length == 0) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties props = new MqttProperties();
    if (mp.payloadFormatIndicator() != null) {
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.PAYLOAD_FORMAT_INDICATOR, mp.payloadFormatIndicator()));
    }
    if (mp.contentType() != null) {
      props.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, mp.contentType()));
    }
    if (mp.responseTopic() != null) {
      props.add(
          new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, mp.responseTopic()));
    }
    if (mp.correlationData() != null) {
      props.add(
          new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, mp.correlationData()));
    }
    if (!mp.userProperties().isEmpty()) {
      MqttProperties.UserProperties user = new MqttProperties.UserProperties();
      for (UserProperty up : mp.userProperties()) {
        user.add(up.name(), up.value());
      }
      props.add(user);
    }
    if (remaining >= 0) {
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) remaining));
    }
    for (int id : subscriptionIds) {
      props.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
    }
    return props;
  }

  private static MqttProperties withProperty(MqttProperties props, int id, int value) {
    MqttProperties out = props == MqttProperties.NO_PROPERTIES ? new MqttProperties() : props;
    out.add(new MqttProperties.IntegerProperty(id, value));
    return out;
  }

  /** The exact encoded size of a PUBLISH packet, fixed header included. */
  private int publishPacketSize(String topic, int qos, MqttProperties props, int payloadLength) {
    long remaining = 2L + TopicRules.utf8Length(topic) + (qos > 0 ? 2 : 0) + payloadLength;
    if (terms.mqtt5()) {
      long propertyBytes = propertiesLength(props);
      remaining += varIntSize(propertyBytes) + propertyBytes;
    }
    return (int) Math.min(Integer.MAX_VALUE, 1 + varIntSize(remaining) + remaining);
  }

  private static long propertiesLength(MqttProperties props) {
    long n = 0;
    for (MqttProperties.MqttProperty<?> p : props.listAll()) {
      if (p instanceof MqttProperties.UserProperties) {
        for (MqttProperties.StringPair pair : ((MqttProperties.UserProperties) p).value()) {
          n += 5 + TopicRules.utf8Length(pair.key) + TopicRules.utf8Length(pair.value);
        }
      } else if (p instanceof MqttProperties.UserProperty) {
        MqttProperties.StringPair pair = ((MqttProperties.UserProperty) p).value();
        n += 5 + TopicRules.utf8Length(pair.key) + TopicRules.utf8Length(pair.value);
      } else if (p instanceof MqttProperties.IntegerProperty) {
        int id = p.propertyId();
        int value = (Integer) p.value();
        if (id == MqttProperties.PAYLOAD_FORMAT_INDICATOR) {
          n += 2;
        } else if (id == MqttProperties.TOPIC_ALIAS) {
          n += 3;
        } else if (id == MqttProperties.SUBSCRIPTION_IDENTIFIER) {
          n += 1 + varIntSize(value);
        } else {
          n += 5;
        }
      } else if (p instanceof MqttProperties.StringProperty) {
        n += 3 + TopicRules.utf8Length((String) p.value());
      } else if (p instanceof MqttProperties.BinaryProperty) {
        n += 3 + ((byte[]) p.value()).length;
      }
    }
    return n;
  }

  private static int varIntSize(long value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }
}
