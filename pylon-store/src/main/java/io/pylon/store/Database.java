package io.pylon.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool.PoolInitializationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relational database behind every Pylon store: an embedded H2 file in the data directory, or a
 * PostgreSQL server. Opening one brings its schema up to date (Flyway, {@code db/migration}); the
 * stores then run their statements through {@link #read} and {@link #write}, which own transactions
 * and turn every {@link SQLException} into a {@link StoreException} that names this database.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>One schema for both engines.</b> H2 runs in {@code MODE=PostgreSQL} with {@code
 *       DATABASE_TO_LOWER}, so the same migrations and almost all statements serve both; the
 *       exceptions are in {@link SqlDialect}. See {@code docs/adr/0002-embedded-store.md}.
 *   <li><b>Durability.</b> A {@link #write} that returns has been committed. Embedded, H2 hands
 *       every commit to the operating system before the commit returns ({@link
 *       EmbeddedDurability}), so a killed process loses nothing it reported as written; a power
 *       loss may lose the last seconds (no fsync per commit). PostgreSQL with its default {@code
 *       synchronous_commit} survives both.
 *   <li><b>Lifetime.</b> The server owns a {@code Database} and closes it last, after the stores
 *       that use it. H2's shutdown hook only flushes ({@code DB_CLOSE_ON_EXIT=FALSE}), so that it
 *       cannot close the file under a broker that is still saving sessions during shutdown.
 *   <li><b>Threads.</b> Thread-safe. Every call holds a pooled connection (H2's own pool; HikariCP,
 *       at most {@value #POSTGRES_MAX_CONNECTIONS}, for PostgreSQL) for its own duration and
 *       blocks; never call from a network event loop.
 *   <li><b>Failures.</b> Opening fails with a {@link StoreException} that says what is wrong with
 *       the file or server (corrupt, in use by another process, written by a newer Pylon,
 *       unreachable) and what to do, because the command line prints only the message.
 * </ul>
 */
public final class Database implements AutoCloseable {

  /** The file H2 keeps an embedded database in, inside the data directory. */
  public static final String EMBEDDED_FILE_NAME = "pylon.mv.db";

  /** Most connections a PostgreSQL {@code Database} holds at once. */
  public static final int POSTGRES_MAX_CONNECTIONS = 10;

  /** How long a call waits for a free pooled connection before it fails. */
  public static final long POSTGRES_POOL_WAIT_MILLIS = 10_000;

  /** Connect and login timeouts, unless the URL sets its own. */
  public static final int POSTGRES_CONNECT_TIMEOUT_SECONDS = 10;

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private static final String MIGRATIONS = "classpath:db/migration";

  // H2 makes whoever creates the file its administrator; a fixed user keeps reopening simple and
  // the file is protected by file-system permissions, not by a password.
  private static final String EMBEDDED_USER = "pylon";

  /**
   * Embedded files open in this JVM. H2 would hand a second opener the already open database
   * instead of failing, so two stores on one file in one process would share state without knowing
   * it; refusing is clearer.
   */
  private static final Set<Path> OPEN_EMBEDDED_FILES = ConcurrentHashMap.newKeySet();

  private final String description;
  private final SqlDialect dialect;
  private final DataSource dataSource;
  private final String afterWrite;
  private final Runnable shutdown;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Database(
      String description,
      SqlDialect dialect,
      DataSource dataSource,
      String afterWrite,
      Runnable shutdown) {
    this.description = description;
    this.dialect = dialect;
    this.dataSource = dataSource;
    this.afterWrite = afterWrite;
    this.shutdown = shutdown;
  }

  /**
   * Opens, creating it on first use, the embedded database {@value #EMBEDDED_FILE_NAME} in {@code
   * dataDirectory} (also created when missing) and migrates its schema.
   *
   * @throws StoreException when the directory cannot be created, the file is corrupt, not an H2
   *     database, written by a newer Pylon, or in use by another process or by another {@code
   *     Database} in this one
   */
  public static Database embedded(Path dataDirectory) {
    return embedded(dataDirectory, EmbeddedDurability.DEFAULT);
  }

  static Database embedded(Path dataDirectory, EmbeddedDurability durability) {
    Path directory = createDirectory(dataDirectory);
    Path file = directory.resolve(EMBEDDED_FILE_NAME);
    String description = "embedded database " + file;
    if (directory.toString().indexOf(';') >= 0) {
      // H2 reads ';' in a URL as the start of a setting.
      throw new StoreException(
          description + " cannot be opened: the data directory path must not contain ';'");
    }
    if (!OPEN_EMBEDDED_FILES.add(file)) {
      throw new StoreException(
          description + " is already open in this process; close the other store first");
    }
    String url = embeddedUrl(directory, durability);
    JdbcConnectionPool pool = null;
    try {
      pool = JdbcConnectionPool.create(url, EMBEDDED_USER, "");
      try {
        // Opening the first connection opens the file; this is where a bad file shows.
        pool.getConnection().close();
      } catch (SQLException e) {
        throw EmbeddedFailures.onOpen(file, e);
      }
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.dispose();
      }
      OPEN_EMBEDDED_FILES.remove(file);
      throw e;
    }
    JdbcConnectionPool opened = pool;
    Database database =
        new Database(
            description,
            SqlDialect.H2,
            pool,
            durability.afterWrite(),
            () -> shutDownEmbedded(opened, url, file, description));
    return database.migrated();
  }

  /**
   * Connects to PostgreSQL through a connection pool and migrates the schema.
   *
   * <p>The pool holds at most {@value #POSTGRES_MAX_CONNECTIONS} connections (fewer when idle); a
   * call that finds them all busy waits up to {@value #POSTGRES_POOL_WAIT_MILLIS} ms for one, then
   * fails. Connecting and logging in each give up after {@value #POSTGRES_CONNECT_TIMEOUT_SECONDS}
   * s unless the URL sets {@code connectTimeout} or {@code loginTimeout} itself. Other driver
   * settings (SSL, {@code socketTimeout}, ...) go in the URL.
   *
   * @param jdbcUrl a {@code jdbc:postgresql://host:port/database} URL
   * @param user the user, or empty to take it from the URL
   * @param password the password, or empty to take it from the URL (or to send none)
   * @throws StoreException when the URL is not a PostgreSQL one, the server cannot be reached,
   *     rejects the credentials, has no such database, or holds a schema from a newer Pylon; the
   *     message is one line naming the URL (without its parameters) and what to check
   */
  public static Database postgres(String jdbcUrl, String user, String password) {
    String description = "PostgreSQL database " + withoutParameters(jdbcUrl);
    PGSimpleDataSource server = new PGSimpleDataSource();
    try {
      server.setURL(jdbcUrl);
    } catch (IllegalArgumentException e) {
      throw new StoreException(
          "not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): "
              + withoutParameters(jdbcUrl),
          e);
    }
    if (!user.isEmpty()) {
      server.setUser(user);
    }
    if (!password.isEmpty()) {
      server.setPassword(password);
    }
    server.setApplicationName("pylon");
    // The driver waits forever for a login by default: a server that accepts the connection but
    // never answers would hang the start, or every store call once the pool refills.
    if (!jdbcUrl.contains("connectTimeout=")) {
      server.setConnectTimeout(POSTGRES_CONNECT_TIMEOUT_SECONDS);
    }
    if (!jdbcUrl.contains("loginTimeout=")) {
      server.setLoginTimeout(POSTGRES_CONNECT_TIMEOUT_SECONDS);
    }
    if (!jdbcUrl.contains("tcpKeepAlive=")) {
      server.setTcpKeepAlive(true);
    }
    PostgresFailures failures =
        new PostgresFailures(
            description,
            server.getUser() == null ? "(none given)" : server.getUser(),
            server.getDatabaseName());
    try {
      // Straight to the server, not through the pool: the pool would retry until its timeout
      // and hide the driver's reason behind its own.
      server.getConnection().close();
    } catch (SQLException e) {
      throw failures.onOpen(e);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(server));
    } catch (PoolInitializationException e) {
      throw e.getCause() instanceof SQLException sql
          ? failures.onOpen(sql)
          : new StoreException("cannot open " + description + ": " + Messages.describe(e), e);
    }
    return new Database(
            description, SqlDialect.POSTGRESQL, pool, null, () -> closePool(pool, description))
        .migrated();
  }

  private static HikariConfig poolConfig(DataSource server) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(server);
    config.setPoolName("pylon-postgres");
    // Bounded: the broker persists on one thread and HTTP work runs on a small executor, so ten
    // connections are plenty, and several Pylons must fit in the server's max_connections (100 by
    // default).
    config.setMaximumPoolSize(POSTGRES_MAX_CONNECTIONS);
    config.setMinimumIdle(2);
    config.setConnectionTimeout(POSTGRES_POOL_WAIT_MILLIS);
    config.setValidationTimeout(5_000);
    // Below the idle timeouts of common firewalls and PgBouncer setups, so that a quiet server
    // does not find its connections cut when traffic returns.
    config.setKeepaliveTime(120_000);
    config.setIdleTimeout(600_000);
    config.setMaxLifetime(1_800_000);
    return config;
  }

  private static void closePool(HikariDataSource pool, String description) {
    // Connections still in use are aborted, which rolls their transactions back, as closing the
    // embedded database does.
    pool.close();
    log.info("Closed {}", description);
  }

  /** Which SQL variant to use for the statements that differ between engines. */
  public SqlDialect dialect() {
    return dialect;
  }

  /**
   * Runs {@code work} in a transaction that sees one consistent snapshot of the database, for reads
   * that span several statements.
   *
   * @param action what is being done, for the error message: "loading sessions"
   * @throws StoreException when the work fails with an {@link SQLException} or this database is
   *     closed
   */
  public <T> T read(String action, SqlWork<T> work) {
    return inTransaction(action, true, work);
  }

  /**
   * Runs {@code work} in a transaction and commits it; when this returns, the change is durable
   * (against a killed process; see the class notes). Any failure rolls the whole transaction back.
   *
   * @param action what is being done, for the error message: "saving session 'sensor-1'"
   * @throws StoreException when the work fails with an {@link SQLException} or this database is
   *     closed
   */
  public void write(String action, SqlUpdate work) {
    inTransaction(
        action,
        false,
        connection -> {
          work.run(connection);
          return null;
        });
  }

  /**
   * Closes the database; an embedded one is flushed, compacted briefly and unlocked before this
   * returns, rolling back transactions still running. Closing again does nothing.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      shutdown.run();
    }
  }

  /** "embedded database /path/pylon.mv.db" or "PostgreSQL database jdbc:postgresql://...". */
  @Override
  public String toString() {
    return description;
  }

  /**
   * Runs work in a transaction. Connections arrive in READ COMMITTED, the default of both engines;
   * a read that spans statements ({@code snapshot}) switches to REPEATABLE READ, which both engines
   * implement as one snapshot for the whole transaction, and back.
   */
  private <T> T inTransaction(String action, boolean snapshot, SqlWork<T> work) {
    if (closed.get()) {
      throw new StoreException(action + " failed: " + description + " is closed");
    }
    try (Connection connection = dataSource.getConnection()) {
      if (snapshot) {
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      }
      connection.setAutoCommit(false);
      T result;
      try {
        result = work.run(connection);
        connection.commit();
        if (!snapshot && afterWrite != null) {
          try (Statement statement = connection.createStatement()) {
            statement.execute(afterWrite);
          }
        }
      } catch (SQLException | RuntimeException e) {
        rollback(connection, e);
        try {
          reset(connection, snapshot);
        } catch (SQLException resetFailure) {
          e.addSuppressed(resetFailure);
        }
        throw e;
      }
      reset(connection, snapshot);
      return result;
    } catch (SQLException e) {
      throw new StoreException(
          action + " failed in " + description + ": " + Messages.describe(e), e);
    }
  }

  /** Pooled connections keep their settings; the next user must get the defaults back. */
  private static void reset(Connection connection, boolean snapshot) throws SQLException {
    connection.setAutoCommit(true);
    if (snapshot) {
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
  }

  private static void rollback(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private Database migrated() {
    try {
      migrate();
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void migrate() {
    Flyway flyway =
        Flyway.configure(Database.class.getClassLoader())
            .dataSource(dataSource)
            .locations(MIGRATIONS)
            .failOnMissingLocations(true)
            .validateMigrationNaming(true)
            // Flyway tolerates migrations it does not know by default; for us they mean the schema
            // was written by a newer Pylon, which this one must not run on (checked below).
            .ignoreMigrationPatterns(new String[0])
            .load();
    try {
      MigrationInfoService info = flyway.info();
      refuseNewerSchema(info);
      if (dialect == SqlDialect.POSTGRESQL && info.pending().length > 0) {
        requireCreatePrivilege();
      }
      var result = flyway.migrate();
      log.info(
          "Opened {} at schema version {}{}",
          description,
          result.targetSchemaVersion != null
              ? result.targetSchemaVersion
              : result.initialSchemaVersion,
          result.migrationsExecuted > 0
              ? " (" + result.migrationsExecuted + " migrations applied)"
              : "");
    } catch (FlywayException e) {
      throw new StoreException(
          "migrating the schema of " + description + " failed: " + Messages.describe(e), e);
    }
  }

  /**
   * Fails, saying what to grant, when the user may not create tables: PostgreSQL 15 gives only the
   * database owner CREATE in {@code public}, so a role that was merely granted CONNECT is the usual
   * first-start mistake, and Flyway would retry creating its history table for ten seconds before
   * failing with less to go on.
   */
  private void requireCreatePrivilege() {
    String sql =
        "SELECT current_user, current_database(), current_schema(),"
            + " current_schema() IS NOT NULL AND has_schema_privilege(current_schema(), 'CREATE')";
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        java.sql.ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      if (rows.getBoolean(4)) {
        return;
      }
      String user = rows.getString(1);
      String schema = rows.getString(3) == null ? "public" : rows.getString(3);
      throw new StoreException(
          description
              + ": user '"
              + user
              + "' may not create tables in schema "
              + schema
              + ", which Pylon needs to set up and migrate its tables; make it the database's owner"
              + " (ALTER DATABASE "
              + rows.getString(2)
              + " OWNER TO "
              + user
              + ") or GRANT CREATE ON SCHEMA "
              + schema
              + " TO "
              + user);
    } catch (SQLException e) {
      throw new StoreException(
          "checking the privileges of the user in "
              + description
              + " failed: "
              + Messages.describe(e),
          e);
    }
  }

  private void refuseNewerSchema(MigrationInfoService info) {
    MigrationInfo[] future =
        Arrays.stream(info.applied())
            .filter(
                m ->
                    m.getState() == MigrationState.FUTURE_SUCCESS
                        || m.getState() == MigrationState.FUTURE_FAILED)
            .toArray(MigrationInfo[]::new);
    if (future.length > 0) {
      MigrationInfo newest = future[future.length - 1];
      throw new StoreException(
          description
              + " has schema version "
              + newest.getVersion()
              + " ("
              + newest.getDescription()
              + "), written by a newer Pylon than this one; run that"
              + " version, or restore a backup made for this one");
    }
  }

  private static String embeddedUrl(Path directory, EmbeddedDurability durability) {
    String base = EMBEDDED_FILE_NAME.substring(0, EMBEDDED_FILE_NAME.indexOf('.'));
    return "jdbc:h2:file:"
        + directory.resolve(base)
        // The PostgreSQL dialect and identifier case, so that one set of migrations and
        // statements runs on both engines, with PostgreSQL's NULL ordering for future paging
        // queries.
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
        // Closing is the server's job, after the broker's final saves; H2's shutdown hook then
        // only flushes instead of closing the file under them.
        + ";DB_CLOSE_ON_EXIT=FALSE"
        // Writing on every commit leaves H2 no background writer to compact with (see
        // EmbeddedDurability), so close does it: up to 5 s, which in ADR 0002's measurement
        // shrinks a 4.2 GB file full of superseded chunks back to its 17 MB of data.
        + ";MAX_COMPACT_TIME=5000"
        + durability.urlSettings();
  }

  private static void shutDownEmbedded(
      JdbcConnectionPool pool, String url, Path file, String description) {
    try {
      // H2 closes the file (flush, brief compaction, lock released) when its last connection
      // closes, which disposing the pool does when nobody holds one: the normal case.
      pool.dispose();
      int stillInUse = pool.getActiveConnections();
      if (stillInUse > 0) {
        log.warn(
            "Closing {} while {} connections are in use; their transactions are rolled back",
            description,
            stillInUse);
        try (Connection connection = DriverManager.getConnection(url, EMBEDDED_USER, "");
            Statement statement = connection.createStatement()) {
          statement.execute("SHUTDOWN");
        } catch (SQLException e) {
          log.warn(
              "Closing {} failed; committed data is on disk already: {}",
              description,
              Messages.describe(e));
        }
      }
      log.info("Closed {}", description);
    } finally {
      OPEN_EMBEDDED_FILES.remove(file);
    }
  }

  private static Path createDirectory(Path dataDirectory) {
    try {
      return Files.createDirectories(dataDirectory.toAbsolutePath()).toRealPath();
    } catch (IOException e) {
      throw new StoreException(
          "cannot create data directory "
              + dataDirectory.toAbsolutePath()
              + ": "
              + Messages.describe(e),
          e);
    }
  }

  private static String withoutParameters(String jdbcUrl) {
    // Parameters may carry a password.
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
  }

  /** Turns H2's failures to open a file into a message an operator can act on. */
  private static final class EmbeddedFailures {

    static StoreException onOpen(Path file, SQLException e) {
      String what = "embedded database " + file;
      String detail = Messages.describe(e);
      String moveAway = " Move it away to start with an empty store, or restore it from a backup.";
      switch (e.getErrorCode()) {
        case ErrorCode.FILE_CORRUPTED_1:
        case ErrorCode.IO_EXCEPTION_1:
        case ErrorCode.IO_EXCEPTION_2:
          return new StoreException(
              what + " is corrupt, unreadable or not an H2 database: " + detail + "." + moveAway,
              e);
        case ErrorCode.DATABASE_ALREADY_OPEN_1:
          return new StoreException(
              what
                  + " is in use by another process; is another Pylon running with data directory "
                  + file.getParent()
                  + "? ("
                  + detail
                  + ")",
              e);
        case ErrorCode.FILE_VERSION_ERROR_1:
          return new StoreException(
              what + " was written by an incompatible H2 version: " + detail + "." + moveAway, e);
        case ErrorCode.WRONG_USER_OR_PASSWORD:
        case ErrorCode.FILE_ENCRYPTION_ERROR_1:
          return new StoreException(
              what
                  + " was not created by Pylon (it is encrypted or has other users): "
                  + detail
                  + "."
                  + moveAway,
              e);
        default:
          return new StoreException("cannot open " + what + ": " + detail, e);
      }
    }
  }

  /** Turns the PostgreSQL driver's failures to connect into a message an operator can act on. */
  private record PostgresFailures(String what, String user, String databaseName) {

    StoreException onOpen(SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      String reason = serverReason(e);
      if (state.startsWith("28") || state.equals("08004")) {
        // 28P01 wrong password (also for an unknown user, so as not to reveal which), 28000 no
        // pg_hba.conf entry, 08004 the server wants a password and none was configured.
        return new StoreException(
            what + " rejected user '" + user + "': " + reason + "; check the user and password", e);
      }
      if (state.equals("3D000")) {
        return new StoreException(
            what
                + " does not exist on that server; create it (CREATE DATABASE "
                + databaseName
                + " OWNER "
                + user
                + ") or correct the URL",
            e);
      }
      if (state.startsWith("08") || state.equals("57P03") || state.equals("53300")) {
        return new StoreException("cannot connect to " + what + ": " + connectReason(e, reason), e);
      }
      return new StoreException("cannot open " + what + ": " + reason, e);
    }

    /** The server's own words without the driver's "FATAL:" prefix, or the driver's message. */
    private static String serverReason(SQLException e) {
      if (e instanceof PSQLException p
          && p.getServerErrorMessage() != null
          && p.getServerErrorMessage().getMessage() != null) {
        return p.getServerErrorMessage().getMessage();
      }
      return Messages.describe(e);
    }

    /** The network failure under the driver's wording, which for most of them is generic. */
    private static String connectReason(SQLException e, String reason) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      if (root instanceof java.net.ConnectException) {
        return "connection refused; is PostgreSQL running and listening on TCP at that host and"
            + " port?";
      }
      if (root instanceof java.net.UnknownHostException) {
        return "unknown host " + root.getMessage();
      }
      if (root instanceof java.net.SocketTimeoutException) {
        return "no answer from the server ("
            + Messages.describe(root)
            + "); check the host, the port and firewalls";
      }
      return reason;
    }
  }
}
