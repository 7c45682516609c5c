package io.pylon.domain.error;

/** A topic rule's SQL statement (or a substitution template) does not parse or compile. */
public final class SqlParseException extends DomainException {

  public SqlParseException(String message) {
    super(message);
  }
}
