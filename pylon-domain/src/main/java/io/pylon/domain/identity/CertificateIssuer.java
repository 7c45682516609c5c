package io.pylon.domain.identity;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;

/**
 * Pylon's own certificate authority, as the identity service needs it: it issues the certificates
 * of CreateKeysAndCertificate and CreateCertificateFromCsr, and certificates it signed may be
 * registered without registering it (it plays the part of Amazon's CA). The server implements this
 * with its data directory's root CA.
 */
public interface CertificateIssuer {

  /** A new RSA 2048 key pair and a client certificate for it. */
  Issued issueWithNewKeyPair();

  /** A client certificate for a key whose holder proved possession (a verified CSR). */
  X509Certificate issue(PublicKey publicKey);

  /** Whether this CA signed {@code certificate}. */
  boolean issued(X509Certificate certificate);

  /** A certificate and the key pair it was issued for. */
  record Issued(X509Certificate certificate, KeyPair keyPair) {}
}
