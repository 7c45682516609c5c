package io.pylon.domain.identity;

import java.util.Optional;

/**
 * Told after a certificate or CA certificate was stored, so that what depends on it follows: open
 * connections of a certificate that left ACTIVE are closed, the TLS trust learns of CAs and of
 * certificates registered without a CA. Called on the caller's thread after the change committed;
 * implementations must be quick and must not throw.
 */
public interface IdentityListener {

  /**
   * @param previous the certificate before the change, empty when it was just created
   * @param current the certificate as stored now
   */
  default void certificateChanged(Optional<Certificate> previous, Certificate current) {}

  default void certificateDeleted(Certificate deleted) {}

  /**
   * @param previous the CA before the change, empty when it was just registered
   * @param current the CA as stored now
   */
  default void caCertificateChanged(Optional<CaCertificate> previous, CaCertificate current) {}

  default void caCertificateDeleted(CaCertificate deleted) {}
}
