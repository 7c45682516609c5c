package io.pylon.server.transport;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * The connection an HTTP request came on, as far as endpoints care.
 *
 * @param remoteAddress the client's address, for logs
 * @param clientCertificate the TLS client certificate, verified against the trusted CAs during the
 *     handshake, if the client presented one
 */
public record HttpPeer(SocketAddress remoteAddress, Optional<X509Certificate> clientCertificate) {

  public HttpPeer {
    Objects.requireNonNull(clientCertificate, "clientCertificate");
  }
}
