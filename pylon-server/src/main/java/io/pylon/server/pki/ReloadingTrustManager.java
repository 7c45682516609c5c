package io.pylon.server.pki;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies client certificates against whatever a {@link TrustSource} trusts at handshake time,
 * delegating to the JDK's PKIX validator, which it rebuilds only when the trusted set changes.
 */
final class ReloadingTrustManager extends X509ExtendedTrustManager {

  private final TrustSource source;
  private final ClientCertificateCheck check;
  private volatile Snapshot snapshot = new Snapshot(null, null);

  ReloadingTrustManager(TrustSource source) {
    this(source, ClientCertificateCheck.NONE);
  }

  ReloadingTrustManager(TrustSource source, ClientCertificateCheck check) {
    this.source = source;
    this.check = check;
  }

  private record Snapshot(List<X509Certificate> certificates, X509ExtendedTrustManager delegate) {}

  private X509ExtendedTrustManager delegate() throws CertificateException {
    List<X509Certificate> certificates = source.trustedCertificates();
    Snapshot current = snapshot;
    if (current.certificates() == certificates
        || (current.certificates() != null && current.certificates().equals(certificates))) {
      return current.delegate();
    }
    X509ExtendedTrustManager delegate = build(certificates);
    snapshot = new Snapshot(certificates, delegate);
    return delegate;
  }

  private static X509ExtendedTrustManager build(List<X509Certificate> certificates)
      throws CertificateException {
    if (certificates.isEmpty()) {
      return RejectAll.INSTANCE; // PKIX refuses an empty anchor set; nothing is trusted then
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager extended) {
          return extended;
        }
      }
      throw new CertificateException("the JDK offers no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new CertificateException("cannot build the trust store: " + e.getMessage(), e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType, engine);
    check.check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType, socket);
    check.check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType);
    check.check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("this trust manager only verifies clients");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("this trust manager only verifies clients");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("this trust manager only verifies clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    try {
      return delegate().getAcceptedIssuers();
    } catch (CertificateException e) {
      return new X509Certificate[0];
    }
  }

  /** Trusts nothing. */
  private static final class RejectAll extends X509ExtendedTrustManager {
    static final RejectAll INSTANCE = new RejectAll();

    private static CertificateException rejected() {
      return new CertificateException("no CA is trusted");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw rejected();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw rejected();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw rejected();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw rejected();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw rejected();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw rejected();
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
