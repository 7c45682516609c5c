package io.pylon.domain.error;

/** The certificate is already registered in a way that conflicts with this request. */
public final class CertificateConflictException extends DomainException {

  public CertificateConflictException(String message) {
    super(message);
  }
}
