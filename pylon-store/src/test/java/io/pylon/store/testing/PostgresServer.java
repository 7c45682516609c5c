package io.pylon.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server of its own for a test JVM: a new cluster in a temporary directory, listening
 * on a free port of 127.0.0.1 only (its Unix socket inside that directory), with password
 * authentication, an ordinary role {@value #OWNER} that owns the databases handed out, and a
 * superuser for creating them.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Root.</b> {@code initdb} refuses to run as root. When this JVM runs as root (CI does),
 *       every PostgreSQL program runs as the {@code postgres} system user, which the Debian package
 *       creates, through {@code runuser} (or {@code setpriv}), and the temporary directory belongs
 *       to that user. Otherwise the programs run as the current user.
 *   <li><b>Stopping.</b> {@link #close()} stops exactly this server: {@code pg_ctl stop -m fast} on
 *       its data directory, then, should the postmaster (its PID read from {@code postmaster.pid})
 *       still run after that, a kill of that PID; then the directory is deleted. A JVM that dies
 *       without closing (killed, {@code System.exit}) would leave the server running, so a small
 *       shell watchdog, started with a pipe from this JVM as its input, does the same stop when
 *       that pipe closes, which the kernel does when the JVM ends however it ends.
 *   <li><b>Speed over durability.</b> {@code fsync} and full-page writes are off: test data need
 *       not survive a power loss, and creating a database per test becomes cheap (tens of ms).
 *       Everything a client sees (transactions, commits, constraints) is unchanged.
 * </ul>
 */
public final class PostgresServer implements AutoCloseable {

  /** The role that owns the databases handed out; not a superuser, as in a real deployment. */
  public static final String OWNER = "pylon";

  private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

  private static final String SUPERUSER = "postgres";
  private static final String SYSTEM_USER = "postgres";
  private static final Duration PROGRAM_TIMEOUT = Duration.ofSeconds(120);
  private static final int PORT_ATTEMPTS = 3;

  private final PostgresInstallation installation;
  private final ProgramRunner runner;
  private final Path root;
  private final Path data;
  private final Path serverLog;
  private final String superuserPassword;
  private final String ownerPassword;
  private final AtomicInteger databases = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private int port;
  private long pid;
  private Process watchdog;
  private Duration startup;
  private int serverVersion;

  private PostgresServer(PostgresInstallation installation, ProgramRunner runner, Path root) {
    this.installation = installation;
    this.runner = runner;
    this.root = root;
    this.data = root.resolve("data");
    this.serverLog = root.resolve("postgres.log");
    this.superuserPassword = randomPassword();
    this.ownerPassword = randomPassword();
  }

  /**
   * Creates and starts a server; on failure nothing is left running or on disk.
   *
   * @throws IllegalStateException when it cannot, with the programs' output in the message
   */
  public static PostgresServer start(PostgresInstallation installation) {
    return start(installation, List.of());
  }

  /**
   * Creates and starts a server with extra {@code postgresql.conf} lines, which win over the test
   * defaults: {@code "fsync = on"} for measurements that should include the disk.
   */
  public static PostgresServer start(PostgresInstallation installation, List<String> settings) {
    long begin = System.nanoTime();
    ProgramRunner runner = ProgramRunner.forThisProcess();
    Path root;
    try {
      root = Files.createTempDirectory("pylon-postgres-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the test PostgreSQL", e);
    }
    PostgresServer server = new PostgresServer(installation, runner, root);
    try {
      server.create(settings);
      server.startOnFreePort();
      server.watchdog = server.startWatchdog();
      server.admin("CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + server.ownerPassword + "'");
      server.serverVersion = Integer.parseInt(server.adminQuery("SHOW server_version_num"));
    } catch (IOException | SQLException | RuntimeException e) {
      server.close();
      throw new IllegalStateException(
          "cannot start the test PostgreSQL server from "
              + installation.bin()
              + ": "
              + (e.getMessage() == null ? e.toString() : e.getMessage()),
          e);
    }
    server.startup = Duration.ofNanos(System.nanoTime() - begin);
    log.info(
        "Started test PostgreSQL ({}) on 127.0.0.1:{} in {} ms, PID {}, data in {}",
        installation.bin(),
        server.port,
        server.startup.toMillis(),
        server.pid,
        root);
    return server;
  }

  /**
   * Creates an empty database owned by {@value #OWNER}.
   *
   * @param label part of the name, to recognise it when debugging (e.g. the test class)
   */
  public PostgresDatabase createDatabase(String label) {
    String name = databaseName(label);
    try {
      // FILE_COPY (PostgreSQL 15 and later) copies the template's files instead of writing them
      // through the buffer cache and WAL: faster, and it leaves the shutdown nothing to flush.
      admin(
          "CREATE DATABASE "
              + name
              + " OWNER "
              + OWNER
              + (serverVersion >= 150000 ? " STRATEGY = FILE_COPY" : ""));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return new PostgresDatabase(name, url(name), OWNER, ownerPassword);
  }

  /** Drops a database, closing its remaining connections. */
  public void dropDatabase(String name) {
    try {
      admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop database " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs a statement as the superuser in the {@code postgres} database, for what the owner role may
   * not do: {@code CREATE ROLE}, {@code ALTER SYSTEM}, ...
   */
  public void executeAsSuperuser(String sql) {
    try {
      admin(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /** The postmaster's process id. */
  public long pid() {
    return pid;
  }

  /** How long {@link #start} took: initdb, start, first role. */
  public Duration startupTime() {
    return startup;
  }

  /** Stops the server and deletes its directory. Closing again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long begin = System.nanoTime();
    if (watchdog != null) {
      // Ended before its input closes, so that it does not stop the server a second time.
      watchdog.destroy();
      try {
        watchdog.waitFor(10, TimeUnit.SECONDS);
        watchdog.getOutputStream().close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // it has gone
      }
    }
    if (pid > 0) {
      try {
        runner.run(
            root,
            installation.program("pg_ctl"),
            "stop",
            "-D",
            data.toString(),
            "-m",
            "fast",
            "-w",
            "-t",
            "60");
      } catch (IOException | RuntimeException e) {
        log.warn("pg_ctl stop of the test PostgreSQL (PID {}) failed: {}", pid, e.getMessage());
      }
      ensureGone(pid);
    }
    deleteRecursively(root);
    if (pid > 0) {
      log.info(
          "Stopped test PostgreSQL (PID {}) in {} ms",
          pid,
          Duration.ofNanos(System.nanoTime() - begin).toMillis());
    }
  }

  private void create(List<String> extraSettings) throws IOException {
    runner.own(root);
    runner.checkReachable(root);
    Path sockets = Files.createDirectory(root.resolve("sockets"));
    runner.own(sockets);
    Path passwordFile = root.resolve("superuser-password");
    Files.writeString(passwordFile, superuserPassword + "\n");
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    runner.own(passwordFile);
    runner.run(
        root,
        installation.program("initdb"),
        "-D",
        data.toString(),
        "-U",
        SUPERUSER,
        "--pwfile=" + passwordFile,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync");
    Files.delete(passwordFile);
    String settings =
        String.join(
            "\n",
            "",
            "# Test server: loopback only, socket in its own directory, no durability on disk.",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = '" + sockets + "'",
            "fsync = off",
            "full_page_writes = off",
            "max_connections = 200",
            "shared_buffers = 32MB",
            String.join("\n", extraSettings),
            "");
    Files.writeString(
        data.resolve("postgresql.conf"),
        settings,
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
  }

  /** Another process may take the chosen port before the server binds it; then try another. */
  private void startOnFreePort() throws IOException {
    for (int attempt = 1; ; attempt++) {
      port = freeLoopbackPort();
      try {
        runner.run(
            root,
            installation.program("pg_ctl"),
            "start",
            "-D",
            data.toString(),
            "-l",
            serverLog.toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p " + port);
        break;
      } catch (IllegalStateException e) {
        String serverOutput = tail(serverLog);
        if (attempt < PORT_ATTEMPTS && serverOutput.contains("could not bind")) {
          continue;
        }
        throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + serverOutput, e);
      }
    }
    String pidLine = Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip();
    pid = Long.parseLong(pidLine);
  }

  private Process startWatchdog() throws IOException {
    List<String> command = new ArrayList<>();
    command.add("sh");
    command.add("-c");
    command.add(
        "dir=$1; shift; while read -r _; do :; done; \"$@\" >/dev/null 2>&1; rm -rf -- \"$dir\"");
    command.add("pylon-test-postgres-watchdog");
    command.add(root.toString());
    command.addAll(
        runner.command(
            installation.program("pg_ctl"), "stop", "-D", data.toString(), "-m", "fast", "-w"));
    return new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private void admin(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(url("postgres"), SUPERUSER, superuserPassword);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private String adminQuery(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(url("postgres"), SUPERUSER, superuserPassword);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private String databaseName(String label) {
    String cleaned = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    String name = "t" + databases.incrementAndGet() + "_" + cleaned;
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  /**
   * Waits for the postmaster to exit after pg_ctl stop; kills it by its PID if it does not. Polls:
   * the JDK watches a process that is not its child only once a second or so, and counts one that
   * has exited but is not yet reaped by its parent (init, here) as alive.
   */
  private static void ensureGone(long pid) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (process.get().isAlive() && !exited(pid)) {
      if (System.nanoTime() > deadline) {
        log.warn("test PostgreSQL (PID {}) did not stop; killing it", pid);
        process.get().destroyForcibly();
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Whether the process has exited and waits only to be reaped (state Z in /proc). */
  private static boolean exited(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // "pid (command) state ...": the command may contain anything, so look after its end.
      int end = stat.lastIndexOf(')');
      return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    } catch (IOException e) {
      return true;
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no " + file.getFileName() + ")";
    }
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      log.warn("could not delete the test PostgreSQL directory {}: {}", directory, e.getMessage());
    }
  }

  /**
   * Runs PostgreSQL's programs as the user that may own a cluster: the current one, or the {@code
   * postgres} system user when the current one is root.
   *
   * @param prefix prepended to every command, e.g. {@code runuser -u postgres --}
   * @param owner who must own the cluster's files, or null for the current user
   */
  private record ProgramRunner(List<String> prefix, UserPrincipal owner) {

    static ProgramRunner forThisProcess() {
      if (!isRoot()) {
        return new ProgramRunner(List.of(), null);
      }
      UserPrincipal owner;
      try {
        owner =
            Path.of("/")
                .getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(SYSTEM_USER);
      } catch (IOException e) {
        throw new IllegalStateException(
            "the tests run as root, and PostgreSQL refuses to; they run it as the '"
                + SYSTEM_USER
                + "' system user, which does not exist. `./pylon test` installs the Debian"
                + " package postgresql, which creates it; or run the tests as an ordinary user");
      }
      List<String> prefix =
          onPath("runuser")
              ? List.of("runuser", "-u", SYSTEM_USER, "--")
              : List.of(
                  "setpriv",
                  "--reuid=" + SYSTEM_USER,
                  "--regid=" + SYSTEM_USER,
                  "--init-groups",
                  "--");
      return new ProgramRunner(prefix, owner);
    }

    List<String> command(String... program) {
      List<String> command = new ArrayList<>(prefix);
      command.addAll(List.of(program));
      return command;
    }

    void own(Path path) throws IOException {
      if (owner != null) {
        Files.setOwner(path, owner);
      }
    }

    /**
     * The {@code postgres} user must be able to walk to the temporary directory: fails early,
     * saying so, when {@code java.io.tmpdir} is somewhere private to root.
     */
    void checkReachable(Path directory) throws IOException {
      if (owner == null) {
        return;
      }
      for (Path p = directory.getParent(); p != null; p = p.getParent()) {
        if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          throw new IllegalStateException(
              "the '"
                  + SYSTEM_USER
                  + "' user cannot reach "
                  + directory
                  + " ("
                  + p
                  + " is closed to other users); set java.io.tmpdir to a directory such as /tmp");
        }
      }
    }

    /**
     * Runs a program to completion, its output in a file next to the cluster (the server it starts
     * keeps running, so no pipe may be left to it).
     *
     * @throws IllegalStateException when it exits with a failure or runs too long, with its output
     */
    void run(Path workDirectory, String... program) throws IOException {
      List<String> command = command(program);
      String name = Path.of(program[0]).getFileName().toString();
      Path output = workDirectory.resolve(name + ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDirectory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      // Settings a developer's shell may carry for their own server must not steer this one.
      builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
      builder.environment().put("LC_ALL", "C");
      Process process = builder.start();
      try {
        if (!process.waitFor(PROGRAM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              String.join(" ", command) + " did not finish within " + PROGRAM_TIMEOUT);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed with exit code "
                + process.exitValue()
                + ":\n"
                + tail(output));
      }
    }

    private static boolean isRoot() {
      try {
        // The owner of /proc/self is this process's effective user.
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        return "root".equals(System.getProperty("user.name"));
      }
    }

    private static boolean onPath(String program) {
      String path = System.getenv("PATH");
      if (path == null) {
        return false;
      }
      for (String directory : path.split(":")) {
        if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
          return true;
        }
      }
      return false;
    }
  }
}
