package io.pylon.store.registry;

import io.pylon.domain.registry.RegistryStores;
import io.pylon.store.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against PostgreSQL: a fresh database per test on the test JVM's private server. */
class PostgresThingPrincipalStoreTest extends ThingPrincipalStoreContract {

  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @Override
  protected RegistryStores open() {
    return JdbcRegistryStores.create(postgres.open());
  }
}
