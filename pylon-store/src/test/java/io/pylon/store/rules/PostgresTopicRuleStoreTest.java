package io.pylon.store.rules;

import io.pylon.domain.rules.TopicRuleStore;
import io.pylon.store.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against PostgreSQL: a fresh database per test on the test JVM's private server. */
class PostgresTopicRuleStoreTest extends TopicRuleStoreContract {

  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @Override
  protected TopicRuleStore open() {
    return new JdbcTopicRuleStore(postgres.open());
  }
}
