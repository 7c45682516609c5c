package io.pylon.domain.error;

/**
 * A domain operation refused, with a message that tells the caller what to change. Subclasses are
 * named after the AWS error shape that they become on the wire.
 */
public abstract class DomainException extends RuntimeException {

  protected DomainException(String message) {
    super(message, null, false, false);
  }
}
