package io.pylon.domain.error;

/** An {@code expectedVersion} did not match the resource's current version. */
public final class VersionConflictException extends DomainException {

  public VersionConflictException(String message) {
    super(message);
  }
}
