package io.pylon.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * JDK TLS plumbing for clients: trust the server's CA, present a device certificate, open sockets.
 */
public final class Tls {

  public static final String MQTT_ALPN = "x-amzn-mqtt-ca";
  public static final int TIMEOUT_MILLIS = 10_000;

  private Tls() {}

  public static X509Certificate readCertificate(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read certificate " + pem, e);
    }
  }

  /** Trusts exactly the given CA file (the server's {@code caFile()}). */
  public static TrustManagerFactory trustManagerFactory(Path caFile) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("pylon-ca", readCertificate(caFile));
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      return factory;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context trusting {@code caFile}, presenting {@code keyManagers} (may be null). */
  public static SSLContext context(Path caFile, KeyManager[] keyManagers) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagerFactory(caFile).getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Key managers that present the key entry whatever CAs the server lists, as device TLS stacks do
   * (the JDK's own key manager withholds a certificate whose issuer the server did not list, which
   * would turn a "foreign CA" test into a "no certificate" test).
   */
  public static KeyManager[] alwaysPresent(KeyStore store, char[] password) {
    try {
      KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
      factory.init(store, password);
      String alias = store.aliases().nextElement();
      return new KeyManager[] {
        new AlwaysPresent((X509KeyManager) factory.getKeyManagers()[0], alias)
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Opens a TLS socket to {@code port} on 127.0.0.1, verifying the server's name (127.0.0.1 SAN),
   * and completes the handshake. A TLS 1.3 server that rejects the client's certificate does so
   * after the client considers the handshake done; the failure then shows on the first read.
   *
   * @param protocols e.g. {@code TLSv1.3}; empty for the JDK's defaults
   * @param alpn ALPN protocols to offer; empty for none
   */
  public static SSLSocket connect(
      SSLContext context, int port, List<String> protocols, List<String> alpn) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      if (!protocols.isEmpty()) {
        parameters.setProtocols(protocols.toArray(String[]::new));
      }
      if (!alpn.isEmpty()) {
        parameters.setApplicationProtocols(alpn.toArray(String[]::new));
      }
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static final class AlwaysPresent extends X509ExtendedKeyManager {
    private final X509KeyManager delegate;
    private final String alias;

    AlwaysPresent(X509KeyManager delegate, String alias) {
      this.delegate = delegate;
      this.alias = alias;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return alias;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return alias;
    }

    @Override
    public X509Certificate[] getCertificateChain(String a) {
      return delegate.getCertificateChain(a);
    }

    @Override
    public PrivateKey getPrivateKey(String a) {
      return delegate.getPrivateKey(a);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {alias};
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
}
