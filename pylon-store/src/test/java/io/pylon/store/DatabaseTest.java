package io.pylon.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.store.broker.JdbcBrokerStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opening, closing and failing to open the embedded database. */
class DatabaseTest {

  /** When test messages count as retained; any fixed time will do. */
  static final long STORED_AT = 1_700_000_000_123L;

  @TempDir Path dataDirectory;

  @Test
  void embedded_firstOpen_createsDirectoryAndFile() {
    Path nested = dataDirectory.resolve("a/b");

    try (Database database = Database.embedded(nested)) {
      assertThat(database.dialect()).isEqualTo(SqlDialect.H2);
      assertThat(database.toString())
          .isEqualTo("embedded database " + nested.resolve(Database.EMBEDDED_FILE_NAME));
    }
    assertThat(nested.resolve(Database.EMBEDDED_FILE_NAME)).isRegularFile();
  }

  @Test
  void embedded_reopen_keepsDataAndDoesNotMigrateAgain() {
    int migrationsAtFirstOpen;
    try (Database database = Database.embedded(dataDirectory)) {
      migrationsAtFirstOpen = appliedMigrations(database);
      database.write(
          "adding a session",
          c -> c.createStatement().executeUpdate("INSERT INTO mqtt_session VALUES ('kept', 1, 2)"));
    }

    try (Database database = Database.embedded(dataDirectory)) {
      int migrations = appliedMigrations(database);
      int sessions =
          database.read(
              "counting sessions",
              c -> count(c.createStatement().executeQuery("SELECT COUNT(*) FROM mqtt_session")));
      assertThat(migrationsAtFirstOpen).isGreaterThanOrEqualTo(1);
      assertThat(migrations).isEqualTo(migrationsAtFirstOpen);
      assertThat(sessions).isEqualTo(1);
    }
    // H2 writes its trace file only when something went wrong.
    assertThat(dataDirectory.resolve("pylon.trace.db")).doesNotExist();
  }

  @Test
  void embedded_garbageFile_failsSayingCorruptAndNamingTheFile() throws IOException {
    Path file = dataDirectory.resolve(Database.EMBEDDED_FILE_NAME);
    byte[] garbage = new byte[64 * 1024];
    new Random(42).nextBytes(garbage);
    Files.write(file, garbage);

    assertThatThrownBy(() -> Database.embedded(dataDirectory))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith(
            "embedded database " + file + " is corrupt, unreadable or not an H2 database: ")
        .hasMessageEndingWith(
            "Move it away to start with an empty store, or restore it from a backup.");
  }

  @Test
  void embedded_textFile_failsSayingCorruptAndNamingTheFile() throws IOException {
    Path file = dataDirectory.resolve(Database.EMBEDDED_FILE_NAME);
    Files.writeString(file, "these are my notes, not a database\n");

    assertThatThrownBy(() -> Database.embedded(dataDirectory))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("embedded database " + file + " is corrupt, unreadable or not an")
        .hasMessageContaining("Move it away");
  }

  @Test
  void embedded_damagedAfterUse_failsSayingCorrupt() throws IOException {
    try (Database database = Database.embedded(dataDirectory)) {
      new JdbcBrokerStore(database)
          .retained()
          .put(new RetainedMessage(EmbeddedDatabaseProcess.message("a/b"), STORED_AT));
    }
    Path file = dataDirectory.resolve(Database.EMBEDDED_FILE_NAME);
    byte[] bytes = Files.readAllBytes(file);
    // Overwrite both file headers (the first two 4 KiB blocks) and everything after them.
    new Random(7).nextBytes(bytes);
    Files.write(file, bytes);

    assertThatThrownBy(() -> Database.embedded(dataDirectory))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(file + " is corrupt");
  }

  @Test
  void embedded_failedOpen_canBeRetriedAfterTheFileIsMovedAway() throws IOException {
    Path file = dataDirectory.resolve(Database.EMBEDDED_FILE_NAME);
    Files.writeString(file, "not a database");
    assertThatThrownBy(() -> Database.embedded(dataDirectory)).isInstanceOf(StoreException.class);

    Files.move(file, dataDirectory.resolve("pylon.mv.db.broken"));

    try (Database database = Database.embedded(dataDirectory)) {
      assertThat(database.dialect()).isEqualTo(SqlDialect.H2);
    }
  }

  @Test
  void embedded_alreadyOpenInThisProcess_fails() {
    Database first = Database.embedded(dataDirectory);
    try {
      assertThatThrownBy(() -> Database.embedded(dataDirectory))
          .isInstanceOf(StoreException.class)
          .hasMessage(
              "embedded database "
                  + dataDirectory.resolve(Database.EMBEDDED_FILE_NAME)
                  + " is already open in this process; close the other store first");
    } finally {
      first.close();
    }
    Database.embedded(dataDirectory).close();
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void embedded_openInAnotherProcess_failsSayingInUse() throws Exception {
    Process holder = startProcess("hold", dataDirectory.toString());
    try {
      awaitLine(holder, EmbeddedDatabaseProcess.OPEN);

      assertThatThrownBy(() -> Database.embedded(dataDirectory))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith(
              "embedded database "
                  + dataDirectory.resolve(Database.EMBEDDED_FILE_NAME)
                  + " is in use by another process; is another Pylon running with data directory "
                  + dataDirectory
                  + "?");
    } finally {
      holder.getOutputStream().close();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    // Released by the other process's close: opens now.
    Database.embedded(dataDirectory).close();
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void embedded_processKilledAfterWritesReturned_keepsEveryWrite() throws Exception {
    int count = 200;
    Process writer =
        startProcess(
            "write",
            dataDirectory.toString(),
            Integer.toString(count),
            EmbeddedDurability.DEFAULT.name());
    try {
      awaitLine(writer, EmbeddedDatabaseProcess.WRITTEN);
    } finally {
      writer.destroyForcibly();
      writer.waitFor(30, TimeUnit.SECONDS);
    }

    try (Database database = Database.embedded(dataDirectory)) {
      JdbcBrokerStore store = new JdbcBrokerStore(database);
      assertThat(store.retained().loadAll()).hasSize(count);
      assertThat(store.sessions().loadAll())
          .singleElement()
          .satisfies(s -> assertThat(s.pending()).hasSize(1));
    }
  }

  @Test
  void embedded_schemaFromNewerPylon_failsSayingSo() {
    try (Database database = Database.embedded(dataDirectory)) {
      database.write(
          "pretending a newer Pylon migrated",
          c ->
              c.createStatement()
                  .executeUpdate(
                      "INSERT INTO flyway_schema_history (installed_rank, version, description, type,"
                          + " script, checksum, installed_by, execution_time, success)"
                          + " VALUES (99, '999', 'things from the future', 'SQL',"
                          + " 'V999__things_from_the_future.sql', 0, 'pylon', 0, TRUE)"));
    }

    assertThatThrownBy(() -> Database.embedded(dataDirectory))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "embedded database "
                + dataDirectory.resolve(Database.EMBEDDED_FILE_NAME)
                + " has schema version 999 (things from the future), written by a newer Pylon than"
                + " this one; run that version, or restore a backup made for this one");
    // The failed open released the file.
    assertThatThrownBy(() -> Database.embedded(dataDirectory)).hasMessageContaining("newer Pylon");
  }

  @Test
  void embedded_directoryIsAFile_failsNamingIt() throws IOException {
    Path notADirectory = Files.writeString(dataDirectory.resolve("file"), "x");

    assertThatThrownBy(() -> Database.embedded(notADirectory))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot create data directory " + notADirectory + ": ");
  }

  @Test
  void write_failure_rollsBackTheWholeTransactionAndNamesActionAndDatabase() {
    try (Database database = Database.embedded(dataDirectory)) {
      assertThatThrownBy(
              () ->
                  database.write(
                      "saving two sessions",
                      c -> {
                        c.createStatement()
                            .executeUpdate("INSERT INTO mqtt_session VALUES ('one', 1, 2)");
                        c.createStatement()
                            .executeUpdate("INSERT INTO mqtt_session VALUES ('one', 1, 2)");
                      }))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("saving two sessions failed in " + database + ": ");

      int sessions =
          database.read(
              "counting sessions",
              c -> count(c.createStatement().executeQuery("SELECT COUNT(*) FROM mqtt_session")));
      assertThat(sessions).isZero();
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_whileAWriteIsRunning_rollsItBackAndReleasesTheFile() throws Exception {
    Database database = Database.embedded(dataDirectory);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<?> write =
          writer.submit(
              () ->
                  database.write(
                      "a write cut short",
                      c -> {
                        c.createStatement()
                            .executeUpdate("INSERT INTO mqtt_session VALUES ('half', 1, 2)");
                        inside.countDown();
                        awaitUninterruptibly(closed);
                        c.createStatement()
                            .executeUpdate("INSERT INTO mqtt_session VALUES ('other', 1, 2)");
                      }));
      inside.await();

      database.close();
      closed.countDown();

      assertThatThrownBy(write::get)
          .cause()
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("a write cut short failed in " + database + ": ");
    } finally {
      writer.shutdownNow();
    }
    try (Database reopened = Database.embedded(dataDirectory)) {
      int sessions =
          reopened.read(
              "counting sessions",
              c -> count(c.createStatement().executeQuery("SELECT COUNT(*) FROM mqtt_session")));
      assertThat(sessions).isZero();
    }
  }

  @Test
  void close_twice_isHarmless() {
    Database database = Database.embedded(dataDirectory);
    database.close();
    database.close();
  }

  @Test
  void postgres_notAPostgresUrl_failsClearly() {
    assertThatThrownBy(() -> Database.postgres("jdbc:h2:mem:x?password=secret", "u", "p"))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database):" + " jdbc:h2:mem:x");
  }

  @Test
  void postgres_nobodyListening_failsSayingCannotConnect() throws IOException {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/pylon";

    assertThatThrownBy(() -> Database.postgres(url + "?connectTimeout=5", "pylon", "secret"))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot connect to PostgreSQL database " + url + ": ")
        .hasMessageNotContaining("secret");
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static int count(java.sql.ResultSet rows) throws java.sql.SQLException {
    rows.next();
    return rows.getInt(1);
  }

  private static Process startProcess(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedDatabaseProcess.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Reads the process's output up to {@code marker}; fails with that output if it exits first. */
  private static void awaitLine(Process process, String marker) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.equals(marker)) {
        return;
      }
      seen.append(line).append('\n');
    }
    fail("the other process ended before printing " + marker + ":\n" + seen);
  }

  private static int appliedMigrations(Database database) {
    return database.read(
        "counting migrations",
        c ->
            count(
                c.createStatement()
                    .executeQuery(
                        "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL")));
  }
}
