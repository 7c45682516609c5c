package io.pylon.store.identity;

import io.pylon.domain.identity.CaCertificateStore;
import io.pylon.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded H2 database. */
class H2CaCertificateStoreTest extends CaCertificateStoreContract {

  @TempDir Path dataDirectory;
  private Database database;

  @Override
  protected CaCertificateStore open() {
    database = Database.embedded(dataDirectory);
    return new JdbcCaCertificateStore(database);
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }
}
