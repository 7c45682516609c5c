package io.pylon.mqtt.spi;

/**
 * A connected client as listeners see it.
 *
 * @param clientId the client identifier
 * @param principal who it is
 * @param transport how it connected
 * @param protocolVersion 3, 4 or 5
 * @param connectedAtMillis epoch millis of the CONNACK
 * @param sessionId unique per connection, so that a disconnect is matched with its connect
 */
public record ConnectedClient(
    String clientId,
    Principal principal,
    TransportInfo transport,
    int protocolVersion,
    long connectedAtMillis,
    long sessionId) {}
