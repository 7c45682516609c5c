package io.pylon.domain.error;

/** A certificate or CSR cannot be parsed or does not verify. */
public final class CertificateValidationException extends DomainException {

  public CertificateValidationException(String message) {
    super(message);
  }
}
