package io.pylon.domain.error;

/** The resource is still in use (attached, referenced, or has dependants) and cannot be deleted. */
public final class DeleteConflictException extends DomainException {

  public DeleteConflictException(String message) {
    super(message);
  }
}
