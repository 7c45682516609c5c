package io.pylon.server.identity;

import io.pylon.domain.identity.CaCertificate;
import io.pylon.domain.identity.CaCertificateService;
import io.pylon.domain.identity.Certificate;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.identity.IdentityListener;
import io.pylon.server.pki.Pem;
import io.pylon.server.pki.TrustSource;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client-certificate trust anchors besides Pylon's root CA: every ACTIVE registered CA, and
 * every ACTIVE certificate registered without a CA (its own anchor). Their subjects are also what
 * the server lists as acceptable issuers in its CertificateRequest, which JDK clients need before
 * they send a certificate from such a CA.
 *
 * <p>The list is rebuilt from the services on the first handshake after a change reported to this
 * listener, and otherwise the same instance is returned, as {@link TrustSource} asks. Changes made
 * by another node sharing the database are not seen until a local change (multi-node is later).
 */
public final class RegisteredTrust implements TrustSource, IdentityListener {

  private final CertificateService certificates;
  private final CaCertificateService caCertificates;
  private volatile boolean stale = true;
  private volatile List<X509Certificate> anchors = List.of();

  public RegisteredTrust(CertificateService certificates, CaCertificateService caCertificates) {
    this.certificates = certificates;
    this.caCertificates = caCertificates;
  }

  @Override
  public List<X509Certificate> trustedCertificates() {
    if (stale) {
      synchronized (this) {
        if (stale) {
          stale = false;
          List<X509Certificate> all = new ArrayList<>();
          for (CaCertificate ca : caCertificates.active()) {
            all.add(Pem.parseCertificate(ca.pem()));
          }
          for (Certificate c : certificates.activeWithoutCa()) {
            all.add(Pem.parseCertificate(c.pem()));
          }
          anchors = List.copyOf(all);
        }
      }
    }
    return anchors;
  }

  @Override
  public void certificateChanged(Optional<Certificate> previous, Certificate current) {
    if (current.withoutCa()) {
      stale = true;
    }
  }

  @Override
  public void certificateDeleted(Certificate deleted) {
    if (deleted.withoutCa()) {
      stale = true;
    }
  }

  @Override
  public void caCertificateChanged(Optional<CaCertificate> previous, CaCertificate current) {
    stale = true;
  }

  @Override
  public void caCertificateDeleted(CaCertificate deleted) {
    stale = true;
  }
}
