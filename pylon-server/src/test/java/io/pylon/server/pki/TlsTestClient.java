package io.pylon.server.pki;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * A plain JDK SSLSocket client, independent of Netty, that checks the server's name like a device.
 */
final class TlsTestClient {

  /** What the client saw: the negotiated protocol, or why it could not talk to the server. */
  record Result(Optional<String> protocol, Exception failure) {
    boolean succeeded() {
      return failure == null;
    }
  }

  private TlsTestClient() {}

  static Result connect(
      InetSocketAddress server,
      X509Certificate trustedCa,
      IssuedCertificate clientCert,
      List<String> alpn)
      throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers(clientCert), trustManagers(trustedCa), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      socket.connect(server, 10_000);
      socket.setSoTimeout(10_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // verify the 127.0.0.1 SAN
      if (!alpn.isEmpty()) {
        parameters.setApplicationProtocols(alpn.toArray(String[]::new));
      }
      socket.setSSLParameters(parameters);
      try {
        socket.startHandshake();
        int marker = socket.getInputStream().read();
        if (marker != 42) {
          return new Result(
              Optional.empty(), new java.io.EOFException("server closed the connection"));
        }
        String protocol = socket.getApplicationProtocol();
        return new Result(Optional.ofNullable(protocol).filter(p -> !p.isEmpty()), null);
      } catch (java.io.IOException e) {
        return new Result(Optional.empty(), e);
      }
    }
  }

  private static javax.net.ssl.KeyManager[] keyManagers(IssuedCertificate clientCert)
      throws Exception {
    if (clientCert == null) {
      return null;
    }
    char[] password = "test".toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "device",
        clientCert.keyPair().getPrivate(),
        password,
        new Certificate[] {clientCert.certificate()});
    KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
    factory.init(store, password);
    X509KeyManager delegate = (X509KeyManager) factory.getKeyManagers()[0];
    return new javax.net.ssl.KeyManager[] {new AlwaysPresent(delegate)};
  }

  /**
   * Presents the certificate whatever CAs the server lists, as device TLS stacks do; the JDK's own
   * key manager would withhold a certificate from an unlisted CA, hiding what the server does with
   * it.
   */
  private static final class AlwaysPresent extends X509ExtendedKeyManager {
    private final X509KeyManager delegate;

    AlwaysPresent(X509KeyManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "device";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return "device";
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"device"};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  private static javax.net.ssl.TrustManager[] trustManagers(X509Certificate ca) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca);
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(store);
    return factory.getTrustManagers();
  }
}
