package io.pylon.server.pki;

/**
 * The data directory cannot be used. The message names the file, says what is wrong and what to do,
 * and is meant for the operator as is: the command line prints it without a stack trace.
 */
public final class DataDirectoryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DataDirectoryException(String message) {
    super(message);
  }

  public DataDirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
