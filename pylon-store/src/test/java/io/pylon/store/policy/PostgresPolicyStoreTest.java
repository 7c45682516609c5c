package io.pylon.store.policy;

import io.pylon.domain.policy.PolicyStore;
import io.pylon.store.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against PostgreSQL: a fresh database per test on the test JVM's private server. */
class PostgresPolicyStoreTest extends PolicyStoreContract {

  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @Override
  protected PolicyStore open() {
    return new JdbcPolicyStore(postgres.open());
  }
}
