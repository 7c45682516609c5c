package io.pylon.mqtt.broker;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.topic.TopicRules;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what a client sends, a PUBLISH or a will, from Netty's {@link MqttProperties} into the
 * broker's version-independent {@link ApplicationMessage}, and holds the few property reads and
 * payload checks the connection's validation needs. Separate from the handler because this is data
 * mapping with no connection state of its own: the MQTT 5 property vocabulary lives here, the
 * decisions about what to refuse stay in the state machine. One instance per connection (it needs
 * the negotiated protocol version); the static helpers are shared.
 */
final class InboundMessages {

  private final ConnectionTerms terms;
  private final BrokerLimits limits;
  private final Clock clock;

  InboundMessages(ConnectionTerms terms, BrokerLimits limits, Clock clock) {
    this.terms = terms;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * The message a PUBLISH or will carries: MQTT 5 properties kept, message expiry clamped by the
   * listener and turned into an absolute deadline so that time spent queued counts against it.
   */
  ApplicationMessage toMessage(
      String topic,
      byte[] payload,
      int qos,
      boolean retain,
      MqttProperties props,
      String clientId) {
    long expiresAt = 0;
    MessageProperties properties = MessageProperties.NONE;
    if (terms.mqtt5() && !props.isEmpty()) {
      MqttProperties.MqttProperty<?> expiry =
          props.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
      if (expiry != null) {
        long seconds = ((Integer) expiry.value()) & 0xFFFFFFFFL;
        if (limits.maxMessageExpirySeconds() > 0) {
          seconds = Math.max(1, Math.min(seconds, limits.maxMessageExpirySeconds()));
        }
        expiresAt = clock.millis() + seconds * 1000L;
      }
      properties = messageProperties(props);
    }
    return new ApplicationMessage(
        topic, payload, Qos.of(qos), retain, properties, expiresAt, clientId);
  }

  private static MessageProperties messageProperties(MqttProperties props) {
    Integer format = null;
    MqttProperties.MqttProperty<?> p = props.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR);
    if (p != null) {
      format = (Integer) p.value();
    }
    String contentType = stringProperty(props, MqttProperties.CONTENT_TYPE);
    String responseTopic = stringProperty(props, MqttProperties.RESPONSE_TOPIC);
    MqttProperties.MqttProperty<?> corr = props.getProperty(MqttProperties.CORRELATION_DATA);
    byte[] correlation = corr == null ? null : (byte[]) corr.value();
    List<UserProperty> user = List.of();
    List<? extends MqttProperties.MqttProperty> ups =
        props.getProperties(MqttProperties.USER_PROPERTY);
    if (!ups.isEmpty()) {
      List<UserProperty> collected = new ArrayList<>();
      for (MqttProperties.MqttProperty<?> up : ups) {
        if (up instanceof MqttProperties.UserProperty) {
          MqttProperties.StringPair pair = ((MqttProperties.UserProperty) up).value();
          collected.add(new UserProperty(pair.key, pair.value));
        } else if (up instanceof MqttProperties.UserProperties) {
          for (MqttProperties.StringPair pair : ((MqttProperties.UserProperties) up).value()) {
            collected.add(new UserProperty(pair.key, pair.value));
          }
        }
      }
      user = collected;
    }
    if (format == null
        && contentType == null
        && responseTopic == null
        && correlation == null
        && user.isEmpty()) {
      return MessageProperties.NONE;
    }
    return new MessageProperties(format, contentType, responseTopic, correlation, user);
  }

  /** UTF-8 bytes of all user property names and values of a packet. */
  static long userPropertyBytes(MqttProperties props) {
    if (props == null || props.isEmpty()) {
      return 0;
    }
    long n = 0;
    for (MqttProperties.MqttProperty<?> p : props.getProperties(MqttProperties.USER_PROPERTY)) {
      if (p instanceof MqttProperties.UserProperties) {
        for (MqttProperties.StringPair pair : ((MqttProperties.UserProperties) p).value()) {
          n += TopicRules.utf8Length(pair.key) + TopicRules.utf8Length(pair.value);
        }
      } else if (p instanceof MqttProperties.UserProperty) {
        MqttProperties.StringPair pair = ((MqttProperties.UserProperty) p).value();
        n += TopicRules.utf8Length(pair.key) + TopicRules.utf8Length(pair.value);
      }
    }
    return n;
  }

  private static String stringProperty(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props.getProperty(id);
    return p == null ? null : (String) p.value();
  }

  /** An integer property, or {@code absent} when the packet (or its property list) lacks it. */
  static int intProperty(MqttProperties props, int id, int absent) {
    if (props == null) {
      return absent;
    }
    MqttProperties.MqttProperty<?> p = props.getProperty(id);
    return p == null ? absent : (Integer) p.value();
  }

  static boolean isValidUtf8(ByteBuf content) {
    return isValidUtf8(content.nioBuffer());
  }

  static boolean isValidUtf8(ByteBuffer buffer) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(buffer);
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
