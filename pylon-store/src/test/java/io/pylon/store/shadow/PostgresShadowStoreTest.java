package io.pylon.store.shadow;

import io.pylon.domain.shadow.ShadowStore;
import io.pylon.store.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against PostgreSQL: a fresh database per test on the test JVM's private server. */
class PostgresShadowStoreTest extends ShadowStoreContract {

  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @Override
  protected ShadowStore open() {
    return new JdbcShadowStore(postgres.open());
  }
}
