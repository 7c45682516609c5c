package io.pylon.domain.error;

/** A quota on the number of resources has been reached. */
public final class LimitExceededException extends DomainException {

  public LimitExceededException(String message) {
    super(message);
  }
}
