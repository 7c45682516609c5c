package io.pylon.store.rules;

import io.pylon.domain.rules.TopicRuleDestinationStore;
import io.pylon.store.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against PostgreSQL: a fresh database per test on the test JVM's private server. */
class PostgresTopicRuleDestinationStoreTest extends TopicRuleDestinationStoreContract {

  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @Override
  protected TopicRuleDestinationStore open() {
    return new JdbcTopicRuleDestinationStore(postgres.open());
  }
}
