package io.pylon.domain.error;

/**
 * The caller is known but its policies do not allow this action on this resource; the data planes'
 * answer to a device whose certificate lacks the permission (the control plane's is {@link
 * UnauthorizedException}).
 */
public final class ForbiddenException extends DomainException {

  public ForbiddenException(String message) {
    super(message);
  }
}
