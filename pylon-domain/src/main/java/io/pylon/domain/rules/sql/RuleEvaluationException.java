package io.pylon.domain.rules.sql;

/**
 * A rule failed while evaluating a message in a way its {@code errorAction} must see, for example a
 * function that calls a service Pylon does not have. Ordinary bad input is Undefined, not this.
 */
public final class RuleEvaluationException extends RuntimeException {

  public RuleEvaluationException(String message) {
    super(message, null, false, false);
  }
}
