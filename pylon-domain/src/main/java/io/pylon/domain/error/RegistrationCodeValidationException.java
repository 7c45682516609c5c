package io.pylon.domain.error;

/** A CA's verification certificate does not carry the registration code. */
public final class RegistrationCodeValidationException extends DomainException {

  public RegistrationCodeValidationException(String message) {
    super(message);
  }
}
