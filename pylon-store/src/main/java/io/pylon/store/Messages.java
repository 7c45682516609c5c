package io.pylon.store;

import java.util.ArrayList;
import java.util.List;

/** Builds the one-line detail of a failure that goes into a {@link StoreException} message. */
final class Messages {

  private Messages() {}

  /**
   * The first line of each distinct message along the cause chain, joined. Drivers wrap the useful
   * part (an {@code EOFException}, "connection refused") several levels down and repeat themselves
   * on the way up; the statement text they append after a newline is left to the cause.
   */
  static String describe(Throwable failure) {
    List<String> parts = new ArrayList<>();
    String joined = "";
    for (Throwable t = failure; t != null && parts.size() < 4; t = t.getCause()) {
      String line = firstLine(t.getMessage());
      if (line.isEmpty()) {
        line = t.getClass().getSimpleName();
      }
      if (!joined.contains(line)) {
        parts.add(line);
        joined = String.join(": ", parts);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return joined;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip();
  }
}
