package io.pylon.store;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.store.StoredSession;
import io.pylon.mqtt.store.StoredSubscription;
import io.pylon.store.broker.JdbcBrokerStore;
import io.pylon.store.testing.PostgresDatabase;
import io.pylon.store.testing.PostgresInstallation;
import io.pylon.store.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Throughput of the embedded store, printed, not asserted: a benchmark, not a test (surefire does
 * not run it). Single-threaded, as the broker's persistence executor calls the store. Numbers go to
 * ADR 0002; see the module README for how to run it.
 *
 * <p>Arguments, all optional: the durability modes to compare (default: all), {@code --dir=<path>}
 * for where the databases go (default: a temporary directory; it should be on the disk a server
 * would use), {@code --soak=<seconds>} to write continuously instead and print the file size every
 * 10 seconds (H2 keeps superseded chunks for 45 s, so the file grows with the write rate), {@code
 * --rate=<writes per second>} to pace the soak, {@code --postgres} to compare the default embedded
 * mode with PostgreSQL on a private server (see {@link #comparePostgres()}).
 */
public final class StoreBenchmark {

  /** When test messages count as retained; any fixed time will do. */
  static final long STORED_AT = 1_700_000_000_123L;

  private static final int RETAINED_TOPICS = 10_000;
  private static final int RETAINED_WARMUP = 5_000;
  private static final int RETAINED_PUTS = 20_000;
  private static final int SESSIONS = 100;
  private static final int SESSION_WARMUP = 200;
  private static final int SESSION_SAVES = 1_000;

  private StoreBenchmark() {}

  public static void main(String[] args) throws IOException {
    List<EmbeddedDurability> modes = new ArrayList<>();
    Path parent = null;
    int soakSeconds = 0;
    int soakRate = 0;
    for (String arg : args) {
      if (arg.equals("--postgres")) {
        comparePostgres();
        return;
      } else if (arg.startsWith("--rate=")) {
        soakRate = Integer.parseInt(arg.substring("--rate=".length()));
      } else if (arg.startsWith("--soak=")) {
        soakSeconds = Integer.parseInt(arg.substring("--soak=".length()));
      } else if (arg.startsWith("--dir=")) {
        parent = Path.of(arg.substring("--dir=".length()));
        Files.createDirectories(parent);
      } else {
        modes.add(EmbeddedDurability.valueOf(arg));
      }
    }
    if (modes.isEmpty()) {
      modes.addAll(Arrays.asList(EmbeddedDurability.values()));
    }
    if (soakSeconds > 0) {
      for (EmbeddedDurability mode : modes) {
        soak(
            mode,
            parent == null
                ? Files.createTempDirectory("pylon-soak-")
                : Files.createTempDirectory(parent, "pylon-soak-"),
            soakSeconds,
            soakRate);
      }
      return;
    }
    System.out.printf(
        "%-24s %14s %14s %12s %12s %14s %12s%n",
        "durability",
        "retained put/s",
        "session save/s",
        "file MB open",
        "file MB shut",
        "load all (ms)",
        "default?");
    for (EmbeddedDurability mode : modes) {
      Path directory =
          parent == null
              ? Files.createTempDirectory("pylon-bench-")
              : Files.createTempDirectory(parent, "pylon-bench-");
      run(mode, directory);
    }
  }

  private static void run(EmbeddedDurability mode, Path directory) throws IOException {
    Path file = directory.resolve(Database.EMBEDDED_FILE_NAME);
    List<StoredSession> sessions =
        IntStream.range(0, SESSIONS).mapToObj(StoreBenchmark::session).toList();
    double putsPerSecond;
    double savesPerSecond;
    long openBytes;
    try (Database database = Database.embedded(directory, mode)) {
      JdbcBrokerStore store = new JdbcBrokerStore(database);
      retainedPuts(store, RETAINED_WARMUP);
      putsPerSecond = retainedPuts(store, RETAINED_PUTS);
      sessionSaves(store, sessions, SESSION_WARMUP);
      savesPerSecond = sessionSaves(store, sessions, SESSION_SAVES);
      openBytes = Files.size(file);
    }
    long closedBytes = Files.size(file);
    long loadStart = System.nanoTime();
    try (Database database = Database.embedded(directory, mode)) {
      JdbcBrokerStore store = new JdbcBrokerStore(database);
      int retained = store.retained().loadAll().size();
      int loaded = store.sessions().loadAll().size();
      if (retained != RETAINED_TOPICS || loaded != SESSIONS) {
        throw new AssertionError("lost data: " + retained + " retained, " + loaded + " sessions");
      }
    }
    long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
    System.out.printf(
        "%-24s %14.0f %14.0f %12.1f %12.1f %14d %12s%n",
        mode,
        putsPerSecond,
        savesPerSecond,
        openBytes / 1e6,
        closedBytes / 1e6,
        loadMillis,
        mode == EmbeddedDurability.DEFAULT ? "yes" : "");
  }

  /**
   * The same workload on the embedded default and on PostgreSQL 15 (a private server from {@link
   * PostgresServer}, on the same disk): with {@code fsync} and {@code synchronous_commit} on (power
   * loss safe, the production setting), with {@code synchronous_commit} off (a killed process loses
   * nothing, a power loss the last moments: the embedded default's guarantee), and with the test
   * servers' {@code fsync = off}.
   */
  private static void comparePostgres() throws IOException {
    System.out.printf(
        "%-34s %14s %14s %14s%n", "engine", "retained put/s", "session save/s", "load all (ms)");
    Path directory = Files.createTempDirectory("pylon-bench-");
    Database embedded = Database.embedded(directory);
    compare("H2 embedded (default)", embedded, () -> Database.embedded(directory));
    PostgresInstallation installation = PostgresInstallation.find();
    try (PostgresServer server = PostgresServer.start(installation, List.of("fsync = on"))) {
      System.out.printf("(PostgreSQL server started in %d ms)%n", server.startupTime().toMillis());
      PostgresDatabase durable = server.createDatabase("durable");
      compare("PostgreSQL fsync, synchronous_commit", durable.open(), durable::open);
      PostgresDatabase asynchronous = server.createDatabase("async");
      try (var c = asynchronous.connect()) {
        c.createStatement()
            .execute("ALTER DATABASE " + asynchronous.name() + " SET synchronous_commit = off");
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      compare("PostgreSQL synchronous_commit off", asynchronous.open(), asynchronous::open);
    }
    try (PostgresServer server = PostgresServer.start(installation)) {
      PostgresDatabase test = server.createDatabase("test");
      compare("PostgreSQL fsync off (tests)", test.open(), test::open);
    }
  }

  private static void compare(
      String engine, Database database, java.util.function.Supplier<Database> reopen) {
    List<StoredSession> sessions =
        IntStream.range(0, SESSIONS).mapToObj(StoreBenchmark::session).toList();
    double putsPerSecond;
    double savesPerSecond;
    try (database) {
      JdbcBrokerStore store = new JdbcBrokerStore(database);
      retainedPuts(store, RETAINED_WARMUP);
      putsPerSecond = retainedPuts(store, RETAINED_PUTS);
      sessionSaves(store, sessions, SESSION_WARMUP);
      savesPerSecond = sessionSaves(store, sessions, SESSION_SAVES);
    }
    long loadStart = System.nanoTime();
    try (Database reopened = reopen.get()) {
      JdbcBrokerStore store = new JdbcBrokerStore(reopened);
      int retained = store.retained().loadAll().size();
      int loaded = store.sessions().loadAll().size();
      if (retained != RETAINED_TOPICS || loaded != SESSIONS) {
        throw new AssertionError("lost data: " + retained + " retained, " + loaded + " sessions");
      }
    }
    System.out.printf(
        "%-34s %14.0f %14.0f %14d%n",
        engine, putsPerSecond, savesPerSecond, (System.nanoTime() - loadStart) / 1_000_000);
  }

  /**
   * Retained puts with a session save every 20th write, as fast as they go or, with {@code rate}
   * above 0, paced to that many writes per second.
   */
  private static void soak(EmbeddedDurability mode, Path directory, int seconds, int rate)
      throws IOException {
    Path file = directory.resolve(Database.EMBEDDED_FILE_NAME);
    List<StoredSession> sessions =
        IntStream.range(0, SESSIONS).mapToObj(StoreBenchmark::session).toList();
    byte[] payload = payload(100, 1);
    StringBuilder sizes = new StringBuilder();
    StringBuilder rates = new StringBuilder();
    long writes = 0;
    long writesAtSample = 0;
    long start = System.nanoTime();
    long closeStart;
    try (Database database = Database.embedded(directory, mode)) {
      JdbcBrokerStore store = new JdbcBrokerStore(database);
      long nextSample = start + 10_000_000_000L;
      while (System.nanoTime() - start < seconds * 1_000_000_000L) {
        if (writes % 20 == 0) {
          store.sessions().save(sessions.get((int) (writes / 20 % SESSIONS)));
        } else {
          store
              .retained()
              .put(
                  new RetainedMessage(
                      new ApplicationMessage(
                          "fleet/" + (writes % RETAINED_TOPICS) + "/status",
                          payload,
                          Qos.AT_LEAST_ONCE,
                          true,
                          MessageProperties.NONE,
                          0,
                          null),
                      STORED_AT));
        }
        writes++;
        if (rate > 0) {
          long due = start + writes * 1_000_000_000L / rate;
          long early = due - System.nanoTime();
          if (early > 0) {
            LockSupport.parkNanos(early);
          }
        }
        if (System.nanoTime() >= nextSample) {
          sizes.append(String.format(" %.0f", Files.size(file) / 1e6));
          rates.append(String.format(" %d", (writes - writesAtSample) / 10));
          writesAtSample = writes;
          nextSample += 10_000_000_000L;
        }
      }
      closeStart = System.nanoTime();
    }
    long closeMillis = (System.nanoTime() - closeStart) / 1_000_000;
    double achieved = writes / ((closeStart - start) / 1e9);
    System.out.printf(
        "%-16s %.0f writes/s; every 10 s, writes/s:%s; file MB:%s;"
            + " after close (%d ms) %.1f MB%n",
        mode, achieved, rates, sizes, closeMillis, Files.size(file) / 1e6);
  }

  private static double retainedPuts(JdbcBrokerStore store, int count) {
    byte[] payload = payload(100, 1);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      store
          .retained()
          .put(
              new RetainedMessage(
                  new ApplicationMessage(
                      "fleet/" + (i % RETAINED_TOPICS) + "/status",
                      payload,
                      Qos.AT_LEAST_ONCE,
                      true,
                      MessageProperties.NONE,
                      0,
                      "device-" + i),
                  STORED_AT));
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  private static double sessionSaves(
      JdbcBrokerStore store, List<StoredSession> sessions, int count) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      store.sessions().save(sessions.get(i % sessions.size()));
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /** 10 subscriptions and 100 pending messages of 100 bytes, a fifth with properties. */
  private static StoredSession session(int n) {
    String clientId = "device-" + n;
    List<StoredSubscription> subscriptions =
        IntStream.range(0, 10)
            .mapToObj(
                i ->
                    new StoredSubscription(
                        "fleet/" + n + "/cmd/" + i + "/#", 1, false, false, 0, i))
            .toList();
    MessageProperties properties =
        new MessageProperties(
            1,
            "application/json",
            "replies/" + n,
            new byte[16],
            List.of(new UserProperty("trace", "0af7651916cd43dd8448eb211c80319c")));
    List<ApplicationMessage> pending =
        IntStream.range(0, 100)
            .mapToObj(
                i ->
                    new ApplicationMessage(
                        "fleet/" + n + "/cmd/" + (i % 10) + "/run",
                        payload(100, n * 100 + i),
                        Qos.AT_LEAST_ONCE,
                        false,
                        i % 5 == 0 ? properties : MessageProperties.NONE,
                        0,
                        "backend"))
            .toList();
    return new StoredSession(clientId, 3600, 0, subscriptions, pending);
  }

  private static byte[] payload(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
