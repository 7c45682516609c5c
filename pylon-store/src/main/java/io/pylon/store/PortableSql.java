package io.pylon.store;

import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pieces of SQL text that behave the same on both engines, for stores that page and filter by name.
 */
public final class PortableSql {

  private PortableSql() {}

  /**
   * A text column to sort and compare by in code-point order. H2 compares strings that way by
   * default; PostgreSQL sorts by the database's collation (often a locale, where {@code -} and
   * {@code _} are ignored and case folds), which would disagree with the Java order that tokens and
   * tests rely on, so there the comparison asks for the {@code "C"} collation.
   */
  public static String ordered(SqlDialect dialect, String column) {
    return dialect == SqlDialect.POSTGRESQL ? column + " COLLATE \"C\"" : column;
  }

  /** A LIKE pattern (with {@code ESCAPE '\'}) matching values that start with {@code prefix}. */
  public static String startsWith(String prefix) {
    return escapeLike(prefix) + '%';
  }

  /** A LIKE pattern (with {@code ESCAPE '\'}) matching values that contain {@code part}. */
  public static String contains(String part) {
    return '%' + escapeLike(part) + '%';
  }

  /** {@code ?, ?, ?} for an IN list of {@code count} values. */
  public static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  /** Runs a write transaction that also computes a result (rows changed, a flag). */
  public static <T> T write(Database database, String action, SqlWork<T> work) {
    AtomicReference<T> result = new AtomicReference<>();
    database.write(action, connection -> result.set(work.run(connection)));
    return result.get();
  }

  private static String escapeLike(String value) {
    StringBuilder escaped = new StringBuilder(value.length() + 4);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == '%' || c == '_') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }
}
