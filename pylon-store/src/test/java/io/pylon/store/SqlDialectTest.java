package io.pylon.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The PostgreSQL text is checked here as text; the H2 text runs in every store test. */
class SqlDialectTest {

  @Test
  void upsert_postgres_updatesEveryNonKeyColumnFromExcluded() {
    assertThat(SqlDialect.POSTGRESQL.upsert("t", List.of("k"), List.of("k", "a", "b")))
        .isEqualTo(
            "INSERT INTO t (k, a, b) VALUES (?, ?, ?) ON CONFLICT (k)"
                + " DO UPDATE SET a = EXCLUDED.a, b = EXCLUDED.b");
  }

  @Test
  void upsert_postgres_onlyKeyColumns_doesNothingOnConflict() {
    assertThat(SqlDialect.POSTGRESQL.upsert("t", List.of("k", "j"), List.of("k", "j")))
        .isEqualTo("INSERT INTO t (k, j) VALUES (?, ?) ON CONFLICT (k, j) DO NOTHING");
  }

  @Test
  void upsert_h2_usesMergeWithKey() {
    assertThat(SqlDialect.H2.upsert("t", List.of("k"), List.of("k", "a")))
        .isEqualTo("MERGE INTO t (k, a) KEY (k) VALUES (?, ?)");
  }
}
