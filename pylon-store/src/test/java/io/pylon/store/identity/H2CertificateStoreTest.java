package io.pylon.store.identity;

import io.pylon.domain.identity.CertificateStore;
import io.pylon.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded H2 database. */
class H2CertificateStoreTest extends CertificateStoreContract {

  @TempDir Path dataDirectory;
  private Database database;

  @Override
  protected CertificateStore open() {
    database = Database.embedded(dataDirectory);
    return new JdbcCertificateStore(database);
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }
}
