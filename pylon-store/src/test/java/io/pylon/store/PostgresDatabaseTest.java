package io.pylon.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.store.StoredSession;
import io.pylon.store.broker.JdbcBrokerStore;
import io.pylon.store.testing.PostgresDatabase;
import io.pylon.store.testing.PostgresExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Opening, closing and failing to open a PostgreSQL database; each test has a fresh one. */
class PostgresDatabaseTest {

  /** When test messages count as retained; any fixed time will do. */
  static final long STORED_AT = 1_700_000_000_123L;

  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @TempDir Path dataDirectory;

  @Test
  void open_appliesTheSameMigrationsAsEmbedded_andNamesTheUrl() throws SQLException {
    List<String> embeddedVersions;
    List<String> embeddedColumns;
    try (Database embedded = Database.embedded(dataDirectory)) {
      embeddedVersions = embedded.read("listing migrations", PostgresDatabaseTest::versions);
      embeddedColumns = embedded.read("listing columns", PostgresDatabaseTest::columns);
    }

    try (Database database = postgres.open()) {
      assertThat(database.dialect()).isEqualTo(SqlDialect.POSTGRESQL);
      assertThat(database).hasToString("PostgreSQL database " + postgres.database().url());
      assertThat(database.read("listing migrations", PostgresDatabaseTest::versions))
          .isNotEmpty()
          .isEqualTo(embeddedVersions);
      assertThat(database.read("listing columns", PostgresDatabaseTest::columns))
          .contains("mqtt_session.client_id", "mqtt_retained.topic")
          .isEqualTo(embeddedColumns);
    }
  }

  @Test
  void reopen_keepsDataAndDoesNotMigrateAgain() {
    try (Database database = postgres.open()) {
      database.write(
          "adding a session",
          c -> c.createStatement().executeUpdate("INSERT INTO mqtt_session VALUES ('kept', 1, 2)"));
    }

    try (Database database = postgres.open()) {
      assertThat(
              database.<Integer>read(
                  "counting migrations",
                  c -> count(c, "flyway_schema_history WHERE version IS NOT NULL")))
          .isEqualTo(database.read("listing migrations", PostgresDatabaseTest::versions).size());
      assertThat(database.<Integer>read("counting sessions", c -> count(c, "mqtt_session")))
          .isEqualTo(1);
    }
  }

  @Test
  void acknowledgedWrites_surviveCloseAndReopen() {
    int count = 200;
    try (Database database = postgres.open()) {
      JdbcBrokerStore store = new JdbcBrokerStore(database);
      for (int i = 0; i < count; i++) {
        store
            .retained()
            .put(new RetainedMessage(EmbeddedDatabaseProcess.message("fleet/" + i), STORED_AT));
      }
      store
          .sessions()
          .save(
              new StoredSession(
                  "device-1",
                  3600,
                  1_700_000_000_000L,
                  List.of(),
                  List.of(EmbeddedDatabaseProcess.message("queued"))));
    }

    try (Database database = postgres.open()) {
      JdbcBrokerStore store = new JdbcBrokerStore(database);
      assertThat(store.retained().loadAll()).hasSize(count);
      assertThat(store.sessions().loadAll())
          .singleElement()
          .satisfies(s -> assertThat(s.pending()).hasSize(1));
    }
  }

  @Test
  void write_failure_rollsBackTheWholeTransactionAndNamesActionAndDatabase() {
    try (Database database = postgres.open()) {
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
          .hasMessageStartingWith("saving two sessions failed in " + database + ": ")
          .hasMessageContaining("duplicate key");

      assertThat(database.<Integer>read("counting sessions", c -> count(c, "mqtt_session")))
          .isZero();
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_whileAWriteIsRunning_rollsItBack() throws Exception {
    Database database = postgres.open();
    CountDownLatch inside = new CountDownLatch(1);
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
                        // Holds the transaction open until the close aborts the connection.
                        c.createStatement().execute("SELECT pg_sleep(30)");
                      }));
      inside.await();

      database.close();

      assertThatThrownBy(write::get)
          .cause()
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("a write cut short failed in " + database + ": ");
    } finally {
      writer.shutdownNow();
    }
    try (Connection owner = postgres.database().connect()) {
      assertThat(count(owner, "mqtt_session")).isZero();
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void manyConcurrentCalls_useAtMostTheBoundedNumberOfConnections() throws Exception {
    int callers = Database.POSTGRES_MAX_CONNECTIONS * 3;
    AtomicInteger mostSeen = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    try (Database database = postgres.open()) {
      List<Future<?>> calls = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int i = 0; i < callers; i++) {
        calls.add(
            threads.submit(
                () -> {
                  start.await();
                  return database.read(
                      "counting connections",
                      c -> {
                        int open = pylonConnections(c);
                        mostSeen.accumulateAndGet(open, Math::max);
                        // Long enough for the others to queue for a connection meanwhile.
                        c.createStatement().execute("SELECT pg_sleep(0.1)");
                        return open;
                      });
                }));
      }
      start.countDown();
      for (Future<?> call : calls) {
        call.get();
      }
      assertThat(mostSeen.get()).isBetween(2, Database.POSTGRES_MAX_CONNECTIONS);
    } finally {
      threads.shutdownNow();
    }
    try (Connection owner = postgres.database().connect()) {
      await("the pool's connections to end after close")
          .atMost(Duration.ofSeconds(10))
          .until(() -> pylonConnections(owner) == 0);
    }
  }

  @Test
  void schemaFromNewerPylon_failsSayingSo() {
    try (Database database = postgres.open()) {
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

    assertThatThrownBy(postgres::open)
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "PostgreSQL database "
                + postgres.database().url()
                + " has schema version 999 (things from the future), written by a newer Pylon than"
                + " this one; run that version, or restore a backup made for this one");
  }

  @Test
  void userWhoMayNotCreateTables_failsSayingWhatTheUserNeeds() throws SQLException {
    String guest = "guest_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    postgres.server().executeAsSuperuser("CREATE ROLE " + guest + " LOGIN PASSWORD 'guest'");
    PostgresDatabase target = postgres.database();

    long start = System.nanoTime();
    assertThatThrownBy(() -> Database.postgres(target.url(), guest, "guest"))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "PostgreSQL database "
                + target.url()
                + ": user '"
                + guest
                + "' may not create tables in schema public, which Pylon needs to set up and migrate"
                + " its tables; make it the database's owner (ALTER DATABASE "
                + target.name()
                + " OWNER TO "
                + guest
                + ") or GRANT CREATE ON SCHEMA public TO "
                + guest);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("fails at once, not after Flyway's retries")
        .isLessThan(Duration.ofSeconds(5));

    // What the message says to do is enough.
    try (Connection owner = target.connect()) {
      owner.createStatement().execute("GRANT CREATE ON SCHEMA public TO " + guest);
    }
    try (Database database = Database.postgres(target.url(), guest, "guest")) {
      assertThat(database.dialect()).isEqualTo(SqlDialect.POSTGRESQL);
    }
  }

  @Test
  void wrongPassword_failsSayingRejectedInOneLine() {
    PostgresDatabase target = postgres.database();

    assertThatThrownBy(() -> Database.postgres(target.url(), target.user(), "not-the-password"))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "PostgreSQL database "
                + target.url()
                + " rejected user 'pylon': password authentication failed for user \"pylon\";"
                + " check the user and password");
  }

  @Test
  void unknownUser_failsLikeAWrongPassword() {
    PostgresDatabase target = postgres.database();

    assertThatThrownBy(() -> Database.postgres(target.url(), "nobody", target.password()))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith(
            "PostgreSQL database " + target.url() + " rejected user 'nobody': ");
  }

  @Test
  void noPasswordConfigured_failsSayingRejected() {
    PostgresDatabase target = postgres.database();

    assertThatThrownBy(() -> Database.postgres(target.url(), target.user(), ""))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("PostgreSQL database " + target.url() + " rejected user 'pylon': ")
        .hasMessageEndingWith("; check the user and password")
        .message()
        .doesNotContain("\n");
  }

  @Test
  void userAndPasswordInTheUrl_areUsedWhenTheSettingsAreEmpty() {
    PostgresDatabase target = postgres.database();
    String url = target.url() + "?user=" + target.user() + "&password=" + target.password();

    try (Database database = Database.postgres(url, "", "")) {
      assertThat(database).hasToString("PostgreSQL database " + target.url());
    }
  }

  @Test
  void missingDatabase_failsSayingHowToCreateIt() {
    String url = postgres.server().url("no_such_db");

    assertThatThrownBy(() -> Database.postgres(url, "pylon", postgres.database().password()))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "PostgreSQL database "
                + url
                + " does not exist on that server; create it (CREATE DATABASE no_such_db OWNER"
                + " pylon) or correct the URL");
  }

  @Test
  void nobodyListening_failsSayingCannotConnectInOneLine() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/pylon";

    assertThatThrownBy(() -> Database.postgres(url + "?password=secret", "pylon", ""))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "cannot connect to PostgreSQL database "
                + url
                + ": connection refused; is PostgreSQL running and listening on TCP at that host"
                + " and port?");
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void serverThatNeverAnswers_failsAfterTheLoginTimeout() throws IOException {
    // Accepts the connection (the backlog does) but never says a word.
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      String url = "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/pylon";

      long start = System.nanoTime();
      assertThatThrownBy(() -> Database.postgres(url + "?loginTimeout=1", "pylon", "secret"))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("cannot connect to PostgreSQL database " + url + ": ")
          .message()
          .doesNotContain("\n")
          .doesNotContain("secret");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  private static int pylonConnections(Connection c) throws SQLException {
    try (ResultSet rows =
        c.createStatement()
            .executeQuery(
                "SELECT COUNT(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND application_name = 'pylon'")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static List<String> versions(Connection c) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (ResultSet rows =
        c.createStatement()
            .executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank")) {
      while (rows.next()) {
        versions.add(rows.getString(1));
      }
    }
    return versions;
  }

  private static List<String> columns(Connection c) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet rows =
        c.createStatement()
            .executeQuery(
                "SELECT table_name, column_name FROM information_schema.columns"
                    + " WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history'"
                    + " ORDER BY table_name, column_name")) {
      while (rows.next()) {
        columns.add(rows.getString(1) + "." + rows.getString(2));
      }
    }
    return columns;
  }

  private static int count(Connection c, String table) throws SQLException {
    try (ResultSet rows = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
