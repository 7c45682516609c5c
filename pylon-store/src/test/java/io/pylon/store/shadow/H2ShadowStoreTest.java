package io.pylon.store.shadow;

import io.pylon.domain.shadow.ShadowStore;
import io.pylon.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded H2 database. */
class H2ShadowStoreTest extends ShadowStoreContract {

  @TempDir Path dataDirectory;
  private Database database;

  @Override
  protected ShadowStore open() {
    database = Database.embedded(dataDirectory);
    return new JdbcShadowStore(database);
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }
}
