package io.pylon.domain.error;

/** A policy document is not valid JSON or not a valid IoT policy. */
public final class MalformedPolicyException extends DomainException {

  public MalformedPolicyException(String message) {
    super(message);
  }
}
