package io.pylon.mqtt.broker;

import static io.pylon.mqtt.broker.InboundMessages.intProperty;
import static io.pylon.mqtt.broker.InboundMessages.isValidUtf8;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.pylon.mqtt.topic.TopicRules;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Reads one CONNECT packet against the listener's limits: validates the flags, the client id and
 * the will, and works out what is granted (client id, session expiry, keep-alive) and what the
 * client allows the broker (written into the connection's {@link ConnectionTerms}). The checks run
 * in the order the specification and AWS IoT imply, and the first failure is the {@link Refusal};
 * the state machine then decides how to refuse (CONNACK or close) and goes on to rate limits,
 * authentication and the session. Separate because none of this needs the channel or the broker's
 * state, only the packet and the limits. One instance per CONNECT, created on the connection's
 * event loop.
 */
final class ConnectNegotiation {

  /** Why a CONNECT is refused; a malformed one closes an MQTT 3.1.1 connection without CONNACK. */
  record Refusal(int reasonCode, String reason, boolean malformed) {}

  private final BrokerLimits limits;
  private final TopicRules topicRules;
  private final ConnectionTerms terms;
  private final InboundMessages inbound;

  private String clientId;
  private boolean clientIdAssigned;
  private boolean cleanStart;
  private LastWill will;
  private long requestedExpiry;
  private long grantedExpiry;
  private int requestedKeepAlive;
  private int keepAlive;

  ConnectNegotiation(
      BrokerLimits limits, TopicRules topicRules, ConnectionTerms terms, InboundMessages inbound) {
    this.limits = limits;
    this.topicRules = topicRules;
    this.terms = terms;
    this.inbound = inbound;
  }

  /** Reads the packet; null when it may proceed, else why not. */
  Refusal read(MqttConnectMessage connect) {
    MqttConnectVariableHeader header = connect.variableHeader();
    MqttConnectPayload payload = connect.payload();
    terms.protocolVersion = header.version();
    MqttProperties props = header.properties();
    // Read first: it decides whether the refusals below carry a reason string.
    terms.requestProblemInformation =
        intProperty(props, MqttProperties.REQUEST_PROBLEM_INFORMATION, 1) != 0;

    if (!header.isWillFlag() && (header.willQos() != 0 || header.isWillRetain())) {
      // [MQTT-3.1.2-13] [MQTT-3.1.2-15] without a will, will QoS and will retain must be 0.
      return malformed("will QoS or will retain set without will flag");
    }
    if (header.isWillFlag() && header.willQos() > 2) {
      // [MQTT-3.1.2-14] will QoS 3 is malformed.
      return malformed("will QoS 3");
    }
    if (props.getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
      return refuse(
          ReasonCodes.BAD_AUTHENTICATION_METHOD, "enhanced authentication is not supported");
    }
    cleanStart = header.isCleanSession();
    String requestedId = payload.clientIdentifier() == null ? "" : payload.clientIdentifier();
    if (requestedId.isEmpty()) {
      if (terms.protocolVersion < 5 && !cleanStart) {
        // [MQTT-3.1.3-8] a zero-length client id requires clean session in 3.1.1.
        return refuse(ReasonCodes.CLIENT_ID_NOT_VALID, "empty client id requires clean session");
      }
      requestedId = "pylon-" + UUID.randomUUID();
      clientIdAssigned = true;
    }
    if (TopicRules.utf8Length(requestedId) > limits.maxClientIdLength()
        || (!limits.allowOtherDollarTopics() && requestedId.startsWith("$"))
        || requestedId.indexOf('\uFFFD') >= 0
        || requestedId.indexOf('\u0000') >= 0) {
      return refuse(ReasonCodes.CLIENT_ID_NOT_VALID, "client id not valid");
    }
    clientId = requestedId;

    if (header.isWillFlag()) {
      Refusal refusal = readWill(header, payload);
      if (refusal != null) {
        return refusal;
      }
    }

    if (terms.mqtt5()) {
      requestedExpiry = intProperty(props, MqttProperties.SESSION_EXPIRY_INTERVAL, 0) & 0xFFFFFFFFL;
    } else {
      requestedExpiry = cleanStart ? 0 : limits.maxSessionExpirySeconds();
    }
    grantedExpiry = Math.min(requestedExpiry, limits.maxSessionExpirySeconds());

    int clientReceiveMaximum = intProperty(props, MqttProperties.RECEIVE_MAXIMUM, 65_535);
    if (clientReceiveMaximum == 0) {
      return refuse(ReasonCodes.PROTOCOL_ERROR, "receive maximum 0");
    }
    terms.sendQuota = Math.min(clientReceiveMaximum, limits.maxInflightOutbound());
    int maxPacket = intProperty(props, MqttProperties.MAXIMUM_PACKET_SIZE, -1);
    if (maxPacket == 0) {
      // MQTT 5 3.1.2.11.4: a Maximum Packet Size of 0 is a protocol error.
      return refuse(ReasonCodes.PROTOCOL_ERROR, "maximum packet size 0");
    }
    // Absent, or above 2^31 - 1 (read as negative): no limit this broker could reach.
    terms.maxPacketSize = maxPacket < 0 ? Integer.MAX_VALUE : maxPacket;
    terms.topicAliasMaximum =
        Math.min(
            intProperty(props, MqttProperties.TOPIC_ALIAS_MAXIMUM, 0), limits.topicAliasMaximum());

    requestedKeepAlive = header.keepAliveTimeSeconds();
    keepAlive = grantKeepAlive(requestedKeepAlive);
    return null;
  }

  private Refusal readWill(MqttConnectVariableHeader header, MqttConnectPayload payload) {
    if (header.willQos() > limits.maxQos()) {
      return refuse(
          ReasonCodes.QOS_NOT_SUPPORTED, "will QoS " + header.willQos() + " not supported");
    }
    if (topicRules.checkTopicName(payload.willTopic()) != TopicRules.Verdict.OK) {
      return refuse(ReasonCodes.TOPIC_NAME_INVALID, "will topic not valid");
    }
    MqttProperties willProps = payload.willProperties();
    if (terms.mqtt5()
        && intProperty(willProps, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 0) == 1
        && !isValidUtf8(ByteBuffer.wrap(payload.willMessageInBytes()))) {
      // MQTT 5 3.1.3.2.3: a will declared UTF-8 that is not: CONNACK 0x99.
      return refuse(ReasonCodes.PAYLOAD_FORMAT_INVALID, "will payload is not valid UTF-8");
    }
    long delaySeconds = intProperty(willProps, MqttProperties.WILL_DELAY_INTERVAL, 0) & 0xFFFFFFFFL;
    will =
        new LastWill(
            inbound.toMessage(
                payload.willTopic(),
                payload.willMessageInBytes(),
                header.willQos(),
                header.isWillRetain(),
                willProps,
                clientId),
            delaySeconds);
    return null;
  }

  private int grantKeepAlive(int requested) {
    int granted = requested;
    if (limits.keepAliveMax() > 0 && (granted == 0 || granted > limits.keepAliveMax())) {
      granted = limits.keepAliveMax();
    }
    if (limits.keepAliveMin() > 0 && granted < limits.keepAliveMin()) {
      granted = limits.keepAliveMin();
    }
    return granted;
  }

  private static Refusal malformed(String reason) {
    return new Refusal(ReasonCodes.MALFORMED_PACKET, reason, true);
  }

  private static Refusal refuse(int reasonCode, String reason) {
    return new Refusal(reasonCode, reason, false);
  }

  /** The client id, once validated: requested or assigned; null if refused before. */
  String clientId() {
    return clientId;
  }

  boolean clientIdAssigned() {
    return clientIdAssigned;
  }

  boolean cleanStart() {
    return cleanStart;
  }

  /** The will, once validated; null without one. */
  LastWill will() {
    return will;
  }

  long requestedExpiry() {
    return requestedExpiry;
  }

  long grantedExpiry() {
    return grantedExpiry;
  }

  int requestedKeepAlive() {
    return requestedKeepAlive;
  }

  int keepAlive() {
    return keepAlive;
  }
}
