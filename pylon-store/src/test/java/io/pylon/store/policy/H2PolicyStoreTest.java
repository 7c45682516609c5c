package io.pylon.store.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.policy.Policy;
import io.pylon.domain.policy.PolicyStore;
import io.pylon.domain.policy.PolicyVersion;
import io.pylon.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded H2 database, plus what only the JDBC store does. */
class H2PolicyStoreTest extends PolicyStoreContract {

  @TempDir Path dataDirectory;

  private Database database;

  @Override
  protected PolicyStore open() {
    database = Database.embedded(dataDirectory);
    return new JdbcPolicyStore(database);
  }

  @Override
  protected void close() {
    database.close();
  }

  @Test
  void policies_surviveReopeningTheDatabase() {
    Instant t = Instant.parse("2026-02-03T04:05:06.789Z");
    new JdbcPolicyStore(database)
        .create(
            new Policy("kept", "1", "{}", t, t, "g1", 1), new PolicyVersion("kept", "1", "{}", t));
    database.close();

    database = Database.embedded(dataDirectory);

    assertThat(new JdbcPolicyStore(database).find("kept"))
        .contains(new Policy("kept", "1", "{}", t, t, "g1", 1));
  }
}
