package io.pylon.store.identity;

import io.pylon.domain.identity.CertificateStore;
import io.pylon.store.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against PostgreSQL: a fresh database per test on the test JVM's private server. */
class PostgresCertificateStoreTest extends CertificateStoreContract {

  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @Override
  protected CertificateStore open() {
    return new JdbcCertificateStore(postgres.open());
  }
}
