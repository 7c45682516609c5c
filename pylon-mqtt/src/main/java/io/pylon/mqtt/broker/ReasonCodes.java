package io.pylon.mqtt.broker;

/**
 * MQTT 5 reason codes the broker sends, by name, and their nearest MQTT 3.1.1 CONNACK return codes.
 */
final class ReasonCodes {

  static final int SUCCESS = 0x00;
  static final int GRANTED_QOS_1 = 0x01;
  static final int GRANTED_QOS_2 = 0x02;
  static final int DISCONNECT_WITH_WILL = 0x04;
  static final int NO_SUBSCRIPTION_EXISTED = 0x11;
  static final int UNSPECIFIED_ERROR = 0x80;
  static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
  static final int MALFORMED_PACKET = 0x81;
  static final int PROTOCOL_ERROR = 0x82;
  static final int UNSUPPORTED_PROTOCOL_VERSION = 0x84;
  static final int CLIENT_ID_NOT_VALID = 0x85;
  static final int BAD_USERNAME_OR_PASSWORD = 0x86;
  static final int NOT_AUTHORIZED = 0x87;
  static final int SERVER_UNAVAILABLE = 0x88;
  static final int SERVER_SHUTTING_DOWN = 0x8B;
  static final int BAD_AUTHENTICATION_METHOD = 0x8C;
  static final int KEEP_ALIVE_TIMEOUT = 0x8D;
  static final int SESSION_TAKEN_OVER = 0x8E;
  static final int TOPIC_FILTER_INVALID = 0x8F;
  static final int TOPIC_NAME_INVALID = 0x90;
  static final int PACKET_ID_NOT_FOUND = 0x92;
  static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
  static final int TOPIC_ALIAS_INVALID = 0x94;
  static final int PACKET_TOO_LARGE = 0x95;
  static final int QUOTA_EXCEEDED = 0x97;
  static final int PAYLOAD_FORMAT_INVALID = 0x99;
  static final int QOS_NOT_SUPPORTED = 0x9B;
  static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;
  static final int SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED = 0xA1;

  /** MQTT 3.1.1 SUBACK failure. */
  static final int V3_SUBACK_FAILURE = 0x80;

  private ReasonCodes() {}

  /** The MQTT 3.1.1 CONNACK return code closest to an MQTT 5 reason code [MQTT-3.2.2.3]. */
  static int v3ConnAck(int reasonCode) {
    switch (reasonCode) {
      case SUCCESS:
        return 0;
      case UNSUPPORTED_PROTOCOL_VERSION:
        return 1;
      case CLIENT_ID_NOT_VALID:
        return 2;
      case BAD_USERNAME_OR_PASSWORD:
        return 4;
      case NOT_AUTHORIZED:
        return 5;
      default:
        return 3;
    }
  }

  /**
   * The disconnect reason lifecycle events report (the names AWS IoT uses) for a connection the
   * server ended with this reason code.
   */
  static String disconnectReasonName(int reasonCode) {
    switch (reasonCode) {
      case KEEP_ALIVE_TIMEOUT:
        return "MQTT_KEEP_ALIVE_TIMEOUT";
      case SESSION_TAKEN_OVER:
        return "DUPLICATE_CLIENTID";
      case NOT_AUTHORIZED:
        return "FORBIDDEN_ACCESS";
      case SERVER_SHUTTING_DOWN:
        return "SERVER_INITIATED_DISCONNECT";
      case QUOTA_EXCEEDED:
        return "THROTTLED";
      default:
        return reasonCode >= 0x80 ? "MQTT_PROTOCOL_ERROR" : "CLIENT_INITIATED_DISCONNECT";
    }
  }
}
