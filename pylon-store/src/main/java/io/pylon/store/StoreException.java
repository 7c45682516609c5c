package io.pylon.store;

/**
 * A storage operation failed. The message is written for an operator: it names the database (file
 * or URL), says what went wrong and, where there is one, what to do about it, so that the command
 * line can print it as it is instead of a stack trace.
 */
public class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
