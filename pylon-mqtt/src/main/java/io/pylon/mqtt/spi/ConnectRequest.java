package io.pylon.mqtt.spi;

/**
 * The identity a client presents in CONNECT, with its transport.
 *
 * @param clientId the client identifier (assigned by the server when the client sent none)
 * @param username the user name, or null; AWS SDK metrics suffixes ({@code ?SDK=...}) are kept
 * @param password the password bytes, or null; never logged
 * @param protocolVersion 3 for MQTT 3.1, 4 for 3.1.1, 5 for 5.0
 * @param transport the listener and TLS facts
 */
public record ConnectRequest(
    String clientId,
    String username,
    byte[] password,
    int protocolVersion,
    TransportInfo transport) {

  @Override
  public String toString() {
    return "ConnectRequest[clientId="
        + clientId
        + ", username="
        + username
        + ", protocolVersion="
        + protocolVersion
        + ", listener="
        + transport.listener()
        + "]";
  }
}
