package io.pylon.domain.error;

/** A payload or document is larger than the service accepts. */
public final class RequestEntityTooLargeException extends DomainException {

  public RequestEntityTooLargeException(String message) {
    super(message);
  }
}
