package io.pylon.store.identity;

import io.pylon.domain.identity.CaCertificateStore;
import io.pylon.store.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against PostgreSQL: a fresh database per test on the test JVM's private server. */
class PostgresCaCertificateStoreTest extends CaCertificateStoreContract {

  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @Override
  protected CaCertificateStore open() {
    return new JdbcCaCertificateStore(postgres.open());
  }
}
