package io.pylon.domain.error;

/** Another update to the same resource happened at the same time. */
public final class ConflictingResourceUpdateException extends DomainException {

  public ConflictingResourceUpdateException(String message) {
    super(message);
  }
}
