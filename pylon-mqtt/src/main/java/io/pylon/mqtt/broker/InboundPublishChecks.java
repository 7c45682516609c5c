package io.pylon.mqtt.broker;

import static io.pylon.mqtt.broker.InboundMessages.intProperty;
import static io.pylon.mqtt.broker.InboundMessages.isValidUtf8;
import static io.pylon.mqtt.broker.InboundMessages.userPropertyBytes;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.pylon.mqtt.topic.TopicRules;

/**
 * Checks a client's PUBLISH against the protocol and the listener's rules before the broker looks
 * at it: maximum QoS, no subscription identifier, topic aliases (resolved, or recorded in this
 * connection's alias table), topic name, user-property size and a payload declared UTF-8. These are
 * properties of the packet alone; what depends on who publishes (rate, authorization, QoS 2 state)
 * stays with the state machine. The check runs for every message, so a failure is reported through
 * this object's outcome fields, read by the handler right away on the same event loop, rather than
 * through a result object. One instance per connection, created when CONNECT completed.
 */
final class InboundPublishChecks {

  private final ConnectionTerms terms;
  private final BrokerLimits limits;
  private final TopicRules topicRules;

  /** Topic names by inbound alias, index 1 to the listener's Topic Alias Maximum. */
  private final String[] aliases;

  private String topic;
  private int reasonCode;
  private String reason;
  private boolean protocolViolation;

  InboundPublishChecks(ConnectionTerms terms, BrokerLimits limits, TopicRules topicRules) {
    this.terms = terms;
    this.limits = limits;
    this.topicRules = topicRules;
    this.aliases = new String[limits.topicAliasMaximum() + 1];
  }

  /**
   * Whether the PUBLISH may go on; if so {@link #topic} is its topic name, alias resolved. If not,
   * {@link #reasonCode} and {@link #reason} say why and {@link #isProtocolViolation} whether the
   * connection must end or only this message is refused.
   */
  boolean check(MqttPublishMessage publish) {
    MqttPublishVariableHeader header = publish.variableHeader();
    int qos = publish.fixedHeader().qosLevel().value();
    MqttProperties props = header.properties();

    if (qos > limits.maxQos()) {
      return violation(ReasonCodes.QOS_NOT_SUPPORTED, "QoS " + qos + " not supported");
    }
    topic = header.topicName();
    if (terms.mqtt5()) {
      if (props.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER) != null) {
        // [MQTT-3.3.4-6] a PUBLISH from a client must not carry a subscription identifier.
        return violation(ReasonCodes.PROTOCOL_ERROR, "subscription identifier in PUBLISH");
      }
      int alias = intProperty(props, MqttProperties.TOPIC_ALIAS, 0);
      if (alias != 0 || props.getProperty(MqttProperties.TOPIC_ALIAS) != null) {
        if (alias <= 0 || alias > limits.topicAliasMaximum()) {
          return violation(ReasonCodes.TOPIC_ALIAS_INVALID, "topic alias " + alias + " not valid");
        }
        if (topic.isEmpty()) {
          topic = aliases[alias];
          if (topic == null) {
            return violation(ReasonCodes.PROTOCOL_ERROR, "unknown topic alias " + alias);
          }
        } else {
          aliases[alias] = topic;
        }
      } else if (topic.isEmpty()) {
        // MQTT 5 3.3.2.1: a zero-length topic name needs a topic alias.
        return violation(ReasonCodes.PROTOCOL_ERROR, "empty topic name without topic alias");
      }
    }
    TopicRules.Verdict verdict = topicRules.checkTopicName(topic);
    if (verdict == TopicRules.Verdict.MALFORMED) {
      // Empty, U+0000, or wildcards: not a valid topic name at all [MQTT-4.7.3-1..2]
      // [MQTT-3.3.2-2]; a malformed packet, so the connection ends (MQTT 5: DISCONNECT 0x81).
      return violation(ReasonCodes.MALFORMED_PACKET, "topic name malformed");
    }
    if (verdict != TopicRules.Verdict.OK) {
      // Valid MQTT but refused by this listener (length, levels, reserved $ topic): AWS IoT answers
      // PUBACK 0x90 to an MQTT 5 client and closes a 3.1.1 connection.
      return refusal(
          ReasonCodes.TOPIC_NAME_INVALID,
          "topic name not valid (" + verdict.name().toLowerCase().replace('_', ' ') + ")");
    }
    if (terms.mqtt5() && userPropertyBytes(props) > limits.maxUserPropertyBytes()) {
      // AWS IoT limits user properties to 8 KB per packet and rejects the packet; PUBACK has no
      // "too large" code, so the refusal is 0x83 (implementation specific) with a reason string.
      return refusal(
          ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR,
          "user properties exceed " + limits.maxUserPropertyBytes() + " bytes");
    }
    if (intProperty(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 0) == 1
        && !isValidUtf8(publish.content())) {
      return refusal(ReasonCodes.PAYLOAD_FORMAT_INVALID, "payload is not valid UTF-8");
    }
    return true;
  }

  private boolean violation(int code, String why) {
    reasonCode = code;
    reason = why;
    protocolViolation = true;
    return false;
  }

  private boolean refusal(int code, String why) {
    reasonCode = code;
    reason = why;
    protocolViolation = false;
    return false;
  }

  /** The topic name of the PUBLISH that passed the last check. */
  String topic() {
    return topic;
  }

  int reasonCode() {
    return reasonCode;
  }

  String reason() {
    return reason;
  }

  /** Whether the failed check ends the connection rather than refusing this message. */
  boolean isProtocolViolation() {
    return protocolViolation;
  }
}
