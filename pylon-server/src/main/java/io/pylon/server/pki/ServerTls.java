package io.pylon.server.pki;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * The server's TLS contexts, built once from the server certificate and a {@link TrustSource}.
 *
 * <p>Both use the JDK provider, TLS 1.2 and 1.3 only. ALPN never fails a handshake: a client that
 * offers no protocol, or only protocols Pylon does not speak, still connects and the listener falls
 * back to its default (MQTT on the device port, HTTP/1.1 on the HTTPS port), as AWS IoT behaves.
 * Read the negotiated protocol with {@code SslHandler.applicationProtocol()}, which is {@code null}
 * when none was agreed.
 */
public final class ServerTls {

  /** The ALPN protocol AWS IoT uses for MQTT over TLS on port 443. */
  public static final String MQTT_ALPN = "x-amzn-mqtt-ca";

  public static final String HTTP_1_1 = ApplicationProtocolNames.HTTP_1_1;

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final SslContext deviceContext;
  private final SslContext httpsContext;

  private ServerTls(SslContext deviceContext, SslContext httpsContext) {
    this.deviceContext = deviceContext;
    this.httpsContext = httpsContext;
  }

  /**
   * Contexts presenting {@code certificate}, and verifying client certificates against {@code
   * trust}.
   *
   * @param chain the server certificate first, then any intermediates
   */
  public static ServerTls create(PrivateKey key, TrustSource trust, X509Certificate... chain)
      throws SSLException {
    return create(key, trust, ClientCertificateCheck.NONE, chain);
  }

  /**
   * Contexts presenting {@code certificate}, verifying client certificates against {@code trust}
   * and then {@code check} (registered and ACTIVE).
   */
  public static ServerTls create(
      PrivateKey key, TrustSource trust, ClientCertificateCheck check, X509Certificate... chain)
      throws SSLException {
    ReloadingTrustManager trustManager = new ReloadingTrustManager(trust, check);
    return new ServerTls(
        build(key, chain, trustManager, ClientAuth.REQUIRE, MQTT_ALPN),
        build(key, chain, trustManager, ClientAuth.OPTIONAL, MQTT_ALPN, HTTP_1_1));
  }

  /** Contexts for a data directory's server certificate, trusting its root CA only. */
  public static ServerTls forDataDirectory(DataDirectory dir) throws SSLException {
    return forDataDirectory(dir, TrustSource.of());
  }

  /**
   * Contexts for a data directory's server certificate, trusting its root CA and whatever {@code
   * moreCas} trusts (registered CAs).
   */
  public static ServerTls forDataDirectory(DataDirectory dir, TrustSource moreCas)
      throws SSLException {
    return forDataDirectory(dir, moreCas, ClientCertificateCheck.NONE);
  }

  /**
   * Contexts for a data directory's server certificate, trusting its root CA and {@code moreCas},
   * and accepting only client certificates that pass {@code check}.
   */
  public static ServerTls forDataDirectory(
      DataDirectory dir, TrustSource moreCas, ClientCertificateCheck check) throws SSLException {
    return create(
        dir.serverKey(),
        TrustSource.of(dir.rootCa().certificate()).and(moreCas),
        check,
        dir.serverCertificate());
  }

  /**
   * For the MQTTS listener (8883): a client certificate is required; ALPN {@code x-amzn-mqtt-ca}.
   */
  public SslContext deviceContext() {
    return deviceContext;
  }

  /**
   * For the HTTPS listener (8443): a client certificate is optional (devices send one for MQTT,
   * browsers and SDKs do not); ALPN prefers {@code x-amzn-mqtt-ca}, then {@code http/1.1}.
   */
  public SslContext httpsContext() {
    return httpsContext;
  }

  private static SslContext build(
      PrivateKey key,
      X509Certificate[] chain,
      ReloadingTrustManager trust,
      ClientAuth clientAuth,
      String... alpn)
      throws SSLException {
    return SslContextBuilder.forServer(key, chain)
        .sslProvider(SslProvider.JDK)
        .protocols(PROTOCOLS)
        .trustManager(trust)
        .clientAuth(clientAuth)
        // NO_ADVERTISE: with no common protocol the server selects none and the handshake goes on;
        // ACCEPT: the client-side behaviour, irrelevant on a server but required by the JDK
        // provider.
        .applicationProtocolConfig(
            new ApplicationProtocolConfig(
                Protocol.ALPN,
                SelectorFailureBehavior.NO_ADVERTISE,
                SelectedListenerFailureBehavior.ACCEPT,
                alpn))
        .build();
  }
}
