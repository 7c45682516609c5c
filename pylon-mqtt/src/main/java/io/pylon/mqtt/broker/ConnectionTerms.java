package io.pylon.mqtt.broker;

/**
 * What one connection agreed with its client at CONNECT: the protocol version, whether failures may
 * carry reason strings, and the client's own limits on what the broker sends it (Receive Maximum,
 * Maximum Packet Size, Topic Alias Maximum), already clamped by the listener. Kept apart from the
 * handler's state so that the packet builders read exactly the values they depend on and nothing
 * else; one instance per connection, written while CONNECT is read and only read afterwards, all on
 * the connection's event loop.
 */
final class ConnectionTerms {

  /** 3, 4 or 5; 4 until CONNECT (or the codec) says otherwise, so early refusals are 3.1.1. */
  int protocolVersion = 4;

  /** Request Problem Information: false forbids reason strings on failures [MQTT-3.1.2-29]. */
  boolean requestProblemInformation = true;

  /** QoS 1/2 messages the broker may have in flight towards the client. */
  int sendQuota;

  /** The client's Maximum Packet Size; larger PUBLISH packets are not sent [MQTT-3.1.2-25]. */
  int maxPacketSize = Integer.MAX_VALUE;

  /** Topic aliases the broker may assign towards the client; 0 means none. */
  int topicAliasMaximum;

  boolean mqtt5() {
    return protocolVersion == 5;
  }

  /** Whether a failure packet may carry this reason string. */
  boolean sendsReasonString(String reason) {
    return reason != null && requestProblemInformation && protocolVersion == 5;
  }
}
