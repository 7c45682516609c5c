package io.pylon.domain.error;

/** The certificate's status does not allow the operation (for example deleting an ACTIVE one). */
public final class CertificateStateException extends DomainException {

  public CertificateStateException(String message) {
    super(message);
  }
}
