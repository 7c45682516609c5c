package io.pylon.server.pki;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The CA certificates a client certificate may chain to, consulted on every handshake so that CAs
 * registered while the server runs (AWS RegisterCACertificate) take effect without a restart.
 *
 * <p>Return the same immutable list instance while the set is unchanged: the trust manager rebuilds
 * its certificate-path validator only when the list it gets differs from the previous one.
 */
@FunctionalInterface
public interface TrustSource {

  List<X509Certificate> trustedCertificates();

  /** A fixed set, e.g. just the data directory's root CA. */
  static TrustSource of(X509Certificate... certificates) {
    List<X509Certificate> fixed = List.of(certificates);
    return () -> fixed;
  }

  /**
   * This source's certificates followed by {@code other}'s. The union is cached and rebuilt only
   * when either side returns a different list, keeping the "same list while unchanged" contract.
   */
  default TrustSource and(TrustSource other) {
    TrustSource self = this;
    return new TrustSource() {
      private List<X509Certificate> lastLeft;
      private List<X509Certificate> lastRight;
      private List<X509Certificate> union = List.of();

      @Override
      public synchronized List<X509Certificate> trustedCertificates() {
        List<X509Certificate> left = self.trustedCertificates();
        List<X509Certificate> right = other.trustedCertificates();
        if (left != lastLeft || right != lastRight) {
          List<X509Certificate> all = new ArrayList<>(left);
          all.addAll(right);
          union = List.copyOf(all);
          lastLeft = left;
          lastRight = right;
        }
        return union;
      }
    };
  }
}
