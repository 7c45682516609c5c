package io.pylon.store.tagging;

import io.pylon.domain.tagging.TagStore;
import io.pylon.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded H2 database. */
class H2TagStoreTest extends TagStoreContract {

  @TempDir Path dataDirectory;
  private Database database;

  @Override
  protected TagStore open() {
    database = Database.embedded(dataDirectory);
    return new JdbcTagStore(database);
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }
}
