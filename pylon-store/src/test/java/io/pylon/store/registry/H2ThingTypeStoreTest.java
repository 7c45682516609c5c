package io.pylon.store.registry;

import io.pylon.domain.registry.RegistryStores;
import io.pylon.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded H2 database. */
class H2ThingTypeStoreTest extends ThingTypeStoreContract {

  @TempDir Path dataDirectory;
  private Database database;

  @Override
  protected RegistryStores open() {
    database = Database.embedded(dataDirectory);
    return JdbcRegistryStores.create(database);
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }
}
