package io.pylon.domain.error;

/** The named resource does not exist. */
public final class ResourceNotFoundException extends DomainException {

  public ResourceNotFoundException(String message) {
    super(message);
  }
}
