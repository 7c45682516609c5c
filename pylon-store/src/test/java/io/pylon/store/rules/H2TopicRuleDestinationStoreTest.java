package io.pylon.store.rules;

import io.pylon.domain.rules.TopicRuleDestinationStore;
import io.pylon.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded H2 database. */
class H2TopicRuleDestinationStoreTest extends TopicRuleDestinationStoreContract {

  @TempDir Path dataDirectory;
  private Database database;

  @Override
  protected TopicRuleDestinationStore open() {
    database = Database.embedded(dataDirectory);
    return new JdbcTopicRuleDestinationStore(database);
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }
}
