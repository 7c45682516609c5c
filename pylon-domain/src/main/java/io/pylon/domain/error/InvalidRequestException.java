package io.pylon.domain.error;

/** The request is malformed or a value is out of range. */
public final class InvalidRequestException extends DomainException {

  public InvalidRequestException(String message) {
    super(message);
  }
}
