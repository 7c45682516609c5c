package io.pylon.server.rules.outbound;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for outbound HTTPS: the JVM's default trust store plus extra anchors, for endpoints
 * behind a private or self-signed CA. Host names are still verified (the HTTP client asks for HTTPS
 * endpoint identification).
 */
public final class OutboundTrust {

  private OutboundTrust() {}

  /**
   * A client {@link SSLContext} trusting what the JVM trusts and also chains ending at one of
   * {@code extraAnchors}.
   */
  public static SSLContext defaultsPlus(Collection<X509Certificate> extraAnchors) {
    try {
      X509TrustManager defaults = trustManager(null);
      KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
      extra.load(null, null);
      int i = 0;
      for (X509Certificate anchor : extraAnchors) {
        extra.setCertificateEntry("extra-" + i++, anchor);
      }
      X509TrustManager combined =
          extraAnchors.isEmpty() ? defaults : new EitherTrustManager(defaults, trustManager(extra));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {combined}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the outbound TLS context", e);
    }
  }

  private static X509TrustManager trustManager(KeyStore anchors) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(anchors);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("no X509TrustManager available");
  }

  /**
   * Trusts a chain that either manager trusts. A plain {@link X509TrustManager} on purpose: JSSE
   * wraps it and still performs host-name verification for it.
   */
  private record EitherTrustManager(X509TrustManager first, X509TrustManager second)
      implements X509TrustManager {

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("outbound trust is for servers only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, authType);
      } catch (CertificateException notByFirst) {
        try {
          second.checkServerTrusted(chain, authType);
        } catch (CertificateException notBySecond) {
          notByFirst.addSuppressed(notBySecond);
          throw notByFirst;
        }
      }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
      all.addAll(List.of(second.getAcceptedIssuers()));
      return all.toArray(X509Certificate[]::new);
    }
  }
}
