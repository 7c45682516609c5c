package io.pylon.mqtt.spi;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who published a message, as rules and listeners need it ({@code clientid()}, {@code principal()},
 * {@code sourceip()} in AWS IoT SQL). A connection builds its origin once at CONNECT, so routing a
 * message allocates nothing for it.
 *
 * @param clientId the publisher's client id, or null when the server itself published
 * @param principal who the publisher acted as
 * @param sourceIp the publisher's IP address as text, or null when unknown
 */
public record PublishOrigin(String clientId, Principal principal, String sourceIp) {

  /** Messages the server publishes on its own behalf (shadows, jobs, lifecycle events). */
  public static final PublishOrigin SERVER = new PublishOrigin(null, Principal.ANONYMOUS, null);

  public PublishOrigin {
    if (principal == null) {
      throw new IllegalArgumentException("principal is required");
    }
  }

  /** The origin of a client connected from {@code remoteAddress}. */
  public static PublishOrigin client(
      String clientId, Principal principal, SocketAddress remoteAddress) {
    String ip = null;
    if (remoteAddress instanceof InetSocketAddress inet && inet.getAddress() != null) {
      ip = inet.getAddress().getHostAddress();
    }
    return new PublishOrigin(clientId, principal, ip);
  }
}
