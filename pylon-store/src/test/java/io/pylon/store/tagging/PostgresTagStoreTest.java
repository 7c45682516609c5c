package io.pylon.store.tagging;

import io.pylon.domain.tagging.TagStore;
import io.pylon.store.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against PostgreSQL: a fresh database per test on the test JVM's private server. */
class PostgresTagStoreTest extends TagStoreContract {

  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @Override
  protected TagStore open() {
    return new JdbcTagStore(postgres.open());
  }
}
