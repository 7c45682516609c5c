package io.pylon.server.identity;

import io.pylon.domain.identity.CertificateIssuer;
import io.pylon.server.pki.CertificateAuthority;
import io.pylon.server.pki.IssuedCertificate;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * Issues the certificates of CreateKeysAndCertificate and CreateCertificateFromCsr from the data
 * directory's root CA, with AWS's subject and end date (AWS-issued certificates say {@code CN=AWS
 * IoT Certificate} and expire at the end of 2049).
 */
public final class RootCaIssuer implements CertificateIssuer {

  static final String COMMON_NAME = "AWS IoT Certificate";
  private static final Instant NOT_AFTER = Instant.parse("2049-12-31T23:59:59Z");

  private final CertificateAuthority ca;

  public RootCaIssuer(CertificateAuthority ca) {
    this.ca = ca;
  }

  @Override
  public Issued issueWithNewKeyPair() {
    IssuedCertificate issued = ca.issueClientCertificate(COMMON_NAME, validity());
    return new Issued(issued.certificate(), issued.keyPair());
  }

  @Override
  public X509Certificate issue(PublicKey publicKey) {
    return ca.issueClientCertificate(COMMON_NAME, publicKey, validity());
  }

  @Override
  public boolean issued(X509Certificate certificate) {
    return ca.issued(certificate);
  }

  private static Duration validity() {
    return Duration.between(Instant.now(), NOT_AFTER);
  }
}
