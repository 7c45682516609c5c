package io.pylon.server.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * A device identified by its X.509 client certificate. The name is the certificate id as AWS IoT
 * forms it: the lower-case hex SHA-256 of the DER encoding.
 */
public record CertificatePrincipal(String certificateId, String subject) implements DeviceIdentity {

  public static CertificatePrincipal of(X509Certificate certificate) {
    return new CertificatePrincipal(
        certificateId(certificate), certificate.getSubjectX500Principal().getName());
  }

  public static String certificateId(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint certificate", e);
    }
  }
}
