package io.pylon.mqtt.broker;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;

/**
 * Builds the packets a connection answers with: CONNACK, PUBACK/PUBREC/PUBREL/PUBCOMP, SUBACK,
 * UNSUBACK, PINGRESP and DISCONNECT, each framed for the client's protocol version (MQTT 5 reason
 * codes and properties, MQTT 3.1.1 return codes or none). A failure carries a reason string only
 * when the client did not turn problem information off [MQTT-3.1.2-29]; that rule and the version
 * differences are kept in this one place so that the state machine only decides which reply to send
 * and when to flush or close. Builds, never writes; one instance per connection.
 */
final class ReplyPackets {

  private final ConnectionTerms terms;
  private final BrokerLimits limits;

  ReplyPackets(ConnectionTerms terms, BrokerLimits limits) {
    this.terms = terms;
    this.limits = limits;
  }

  /** The CONNACK accepting a connection, announcing every limit that differs from the defaults. */
  MqttConnAckMessage connAck(boolean sessionPresent, ConnectNegotiation granted) {
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (terms.mqtt5()) {
      props = new MqttProperties();
      if (granted.grantedExpiry() != granted.requestedExpiry()) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.SESSION_EXPIRY_INTERVAL, (int) granted.grantedExpiry()));
      }
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.RECEIVE_MAXIMUM, limits.receiveMaximum()));
      if (limits.maxQos() < 2) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_QOS, limits.maxQos()));
      }
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.MAXIMUM_PACKET_SIZE, limits.maxPacketSize()));
      if (granted.clientIdAssigned()) {
        props.add(
            new MqttProperties.StringProperty(
                MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, granted.clientId()));
      }
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.TOPIC_ALIAS_MAXIMUM, limits.topicAliasMaximum()));
      if (!limits.subscriptionIdentifiers()) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0));
      }
      if (granted.keepAlive() != granted.requestedKeepAlive()) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.SERVER_KEEP_ALIVE, granted.keepAlive()));
      }
    }
    return new MqttConnAckMessage(
        fixedHeader(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
        new MqttConnAckVariableHeader(
            MqttConnectReturnCode.CONNECTION_ACCEPTED, sessionPresent, props));
  }

  /** The CONNACK refusing a connection; MQTT 3.1.1 gets the nearest return code. */
  MqttConnAckMessage connAckRefused(int reasonCode, String reason) {
    int code = terms.mqtt5() ? reasonCode : ReasonCodes.v3ConnAck(reasonCode);
    return new MqttConnAckMessage(
        fixedHeader(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
        new MqttConnAckVariableHeader(
            MqttConnectReturnCode.valueOf((byte) code), false, reasonString(reason)));
  }

  /** PUBACK, PUBREC, PUBREL or PUBCOMP. */
  MqttMessage pubReply(MqttMessageType type, int packetId, int reasonCode, String reason) {
    MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
    Object header =
        terms.mqtt5()
            ? new MqttPubReplyMessageVariableHeader(
                packetId, (byte) reasonCode, reasonString(reason))
            : MqttMessageIdVariableHeader.from(packetId);
    return new MqttMessage(fixedHeader(type, qos), header);
  }

  MqttSubAckMessage subAck(int packetId, int[] codes) {
    return new MqttSubAckMessage(
        fixedHeader(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
        new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
        new MqttSubAckPayload(codes));
  }

  /** A SUBACK entry refusing one filter: the MQTT 5 reason, or 3.1.1's single failure code. */
  int subAckFailure(int v5Code) {
    return terms.mqtt5() ? v5Code : ReasonCodes.V3_SUBACK_FAILURE;
  }

  /** UNSUBACK; only MQTT 5 has a reason code per filter. */
  MqttUnsubAckMessage unsubAck(int packetId, short[] codes) {
    MqttFixedHeader fixed = fixedHeader(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE);
    if (terms.mqtt5()) {
      return new MqttUnsubAckMessage(
          fixed,
          new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
          new MqttUnsubAckPayload(codes));
    }
    return new MqttUnsubAckMessage(fixed, MqttMessageIdVariableHeader.from(packetId));
  }

  MqttMessage pingResp() {
    return new MqttMessage(fixedHeader(MqttMessageType.PINGRESP, MqttQoS.AT_MOST_ONCE));
  }

  /** A server DISCONNECT; only MQTT 5 clients that completed CONNECT are sent one. */
  MqttMessage disconnect(int reasonCode, String reason) {
    return new MqttMessage(
        fixedHeader(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
        new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, reasonString(reason)));
  }

  private MqttProperties reasonString(String reason) {
    if (!terms.sendsReasonString(reason)) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
    return props;
  }

  private static MqttFixedHeader fixedHeader(MqttMessageType type, MqttQoS qos) {
    return new MqttFixedHeader(type, false, qos, false, 0);
  }
}
