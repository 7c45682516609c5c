package io.pylon.domain.error;

/** A resource already has the largest number of versions allowed. */
public final class VersionsLimitExceededException extends DomainException {

  public VersionsLimitExceededException(String message) {
    super(message);
  }
}
