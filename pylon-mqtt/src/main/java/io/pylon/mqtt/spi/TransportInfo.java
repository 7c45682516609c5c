package io.pylon.mqtt.spi;

import io.pylon.mqtt.broker.Profile;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the transport knows about a connection before MQTT starts: the listener it came in on and
 * anything TLS established.
 *
 * @param listener the listener's name as configured ({@code mqtts}, {@code https}, {@code mqtt})
 * @param profile the listener's behaviour profile
 * @param remoteAddress the peer's address
 * @param peerCertificates the verified client certificate chain, leaf first; empty without mTLS
 * @param serverName the TLS SNI host name, or null
 * @param alpnProtocol the negotiated ALPN protocol, or null
 * @param webSocket whether MQTT is carried over WebSocket
 * @param loopbackOnly whether the listener is bound to a loopback address only
 * @param transportPrincipal who the transport already authenticated (a SigV4-signed WebSocket
 *     upgrade), or null
 */
public record TransportInfo(
    String listener,
    Profile profile,
    SocketAddress remoteAddress,
    List<X509Certificate> peerCertificates,
    String serverName,
    String alpnProtocol,
    boolean webSocket,
    boolean loopbackOnly,
    Principal transportPrincipal) {

  /**
   * Channel attribute through which a transport hands an identity it established (for example a
   * verified SigV4 WebSocket upgrade) to the authenticator.
   */
  public static final io.netty.util.AttributeKey<Principal> TRANSPORT_PRINCIPAL =
      io.netty.util.AttributeKey.valueOf("pylon.transportPrincipal");

  public TransportInfo {
    peerCertificates = List.copyOf(peerCertificates);
  }
}
