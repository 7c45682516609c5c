package io.pylon.domain.error;

/** The resource's state does not allow the requested change. */
public final class InvalidStateTransitionException extends DomainException {

  public InvalidStateTransitionException(String message) {
    super(message);
  }
}
