package io.pylon.domain.error;

/** The caller is not allowed to do this. */
public final class UnauthorizedException extends DomainException {

  public UnauthorizedException(String message) {
    super(message);
  }
}
