package io.pylon.store;

import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The few statements that cannot be written once for both engines. Everything else, including the
 * migrations, is the common subset of PostgreSQL and H2 in {@code MODE=PostgreSQL}.
 */
public enum SqlDialect {

  /**
   * H2 in PostgreSQL mode. H2 accepts {@code ON CONFLICT DO NOTHING} there but not {@code DO
   * UPDATE}, so upserts use H2's own {@code MERGE ... KEY}, which locks the row like an update.
   */
  H2 {
    @Override
    public String upsert(String table, List<String> keyColumns, List<String> columns) {
      return "MERGE INTO "
          + table
          + " ("
          + String.join(", ", columns)
          + ") KEY ("
          + String.join(", ", keyColumns)
          + ") VALUES ("
          + placeholders(columns.size())
          + ")";
    }
  },

  /**
   * PostgreSQL. {@code ON CONFLICT DO UPDATE} rather than SQL {@code MERGE}: it needs no version 15
   * and, unlike {@code MERGE}, it does not fail with a duplicate key when two transactions insert
   * the same new key concurrently.
   */
  POSTGRESQL {
    @Override
    public String upsert(String table, List<String> keyColumns, List<String> columns) {
      String updates =
          columns.stream()
              .filter(c -> !keyColumns.contains(c))
              .map(c -> c + " = EXCLUDED." + c)
              .collect(Collectors.joining(", "));
      return "INSERT INTO "
          + table
          + " ("
          + String.join(", ", columns)
          + ") VALUES ("
          + placeholders(columns.size())
          + ") ON CONFLICT ("
          + String.join(", ", keyColumns)
          + (updates.isEmpty() ? ") DO NOTHING" : ") DO UPDATE SET " + updates);
    }
  };

  /**
   * An insert-or-replace of one row with a {@code ?} parameter per column, in the order of {@code
   * columns}.
   *
   * @param keyColumns the primary key, also listed in {@code columns}
   * @param columns every column written, key columns included
   */
  public abstract String upsert(String table, List<String> keyColumns, List<String> columns);

  private static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }
}
