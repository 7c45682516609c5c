package io.pylon.domain.rules.action;

/**
 * An action failed for good; the message says what happened to whom ("HTTP 503 from
 * https://example.com/hook after 3 attempts") and becomes the error action's {@code errorMessage}.
 */
public final class ActionFailedException extends RuntimeException {

  public ActionFailedException(String message) {
    super(message, null, false, false);
  }
}
