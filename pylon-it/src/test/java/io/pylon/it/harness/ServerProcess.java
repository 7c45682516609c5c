package io.pylon.it.harness;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code pylon} ({@code io.pylon.server.Main}) in a separate JVM, for what an embedded server
 * cannot show: signals, exit codes, what the operator sees on the terminal, {@code kill -9}.
 *
 * <p>The child runs on this test run's classpath minus the test classes (so it logs through the
 * server's own logback.xml, to stdout, as a user would see it). Output goes to files, never to
 * pipes that could fill up. {@link #close} kills the process by pid if it is still alive; use it in
 * try-with-resources or a finally block.
 */
public final class ServerProcess implements AutoCloseable {

  /** The listener ports this process was told to use. */
  public record Ports(int mqtts, int https, int mqtt) {
    public static Ports pick() {
      int[] p = FreePorts.pick(3);
      return new Ports(p[0], p[1], p[2]);
    }
  }

  /** How a process that ran to its end ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String all() {
      return stdout + stderr;
    }
  }

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final List<String> command;
  private final Ports ports;

  private ServerProcess(
      Process process, Path stdout, Path stderr, List<String> command, Ports ports) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.command = command;
    this.ports = ports;
  }

  /**
   * Starts {@code pylon start --data-dir dataDir} on free loopback ports (see {@link #ports()})
   * with extra arguments, and waits until it has printed its banner and accepts connections. Ports
   * are probed in this JVM and bound by the child a moment later; if another process took one in
   * between, the start is retried on new ports.
   */
  public static ServerProcess start(Path dataDir, Path logDir, String... extraArgs) {
    AssertionError lastBindFailure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Ports ports = Ports.pick();
      List<String> args =
          new ArrayList<>(
              List.of(
                  "start",
                  "--data-dir",
                  dataDir.toString(),
                  "--set",
                  "listeners.mqtts.port=" + ports.mqtts(),
                  "--set",
                  "listeners.https.port=" + ports.https(),
                  "--set",
                  "listeners.mqtt.port=" + ports.mqtt()));
      args.addAll(Arrays.asList(extraArgs));
      ServerProcess p = spawn(logDir, ports, args);
      try {
        p.awaitReady(Duration.ofSeconds(40));
        return p;
      } catch (AssertionError e) {
        p.close();
        if (!p.stdout().contains("Address already in use")
            && !p.stderr().contains("Address already in use")) {
          throw e;
        }
        lastBindFailure = e;
      } catch (RuntimeException e) {
        p.close();
        throw e;
      }
    }
    throw lastBindFailure;
  }

  /** Runs {@code pylon <args>} expecting it to end by itself, and returns how it ended. */
  public static Result run(Path logDir, Duration timeout, String... args) {
    try (ServerProcess p = spawn(logDir, null, List.of(args))) {
      if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "pylon "
                + String.join(" ", args)
                + " did not end within "
                + timeout
                + "\nstdout:\n"
                + p.stdout()
                + "\nstderr:\n"
                + p.stderr());
      }
      return new Result(p.process.exitValue(), p.stdout(), p.stderr());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static ServerProcess spawn(Path logDir, Ports ports, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            serverClasspath(),
            "io.pylon.server.Main"));
    command.addAll(args);
    try {
      Files.createDirectories(logDir);
      Path out = Files.createTempFile(logDir, "pylon-", ".out");
      Path err = Files.createTempFile(logDir, "pylon-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      // Hermetic: configuration comes from the arguments only.
      builder.environment().keySet().removeIf(k -> k.startsWith("PYLON_"));
      Process process = builder.start();
      ServerProcess p = new ServerProcess(process, out, err, command, ports);
      LogCapture.attach(
          "pylon process " + process.pid() + ": " + String.join(" ", args), p::describe);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /**
   * The classpath of this test run without the test classes: surefire/failsafe put the real class
   * path in {@code surefire.test.class.path} when {@code java.class.path} is a manifest-only jar.
   */
  static String serverClasspath() {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String testClasses = System.getProperty("pylon.it.testClasses", "");
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(entry -> testClasses.isEmpty() || !Path.of(entry).equals(Path.of(testClasses)))
        .filter(entry -> !entry.endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private void awaitReady(Duration timeout) {
    try {
      await("pylon process " + pid() + " to start")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError(
                      "pylon exited with "
                          + process.exitValue()
                          + " before it was ready\n"
                          + describe());
                }
                return stdout().contains(" started in ") && FreePorts.accepting(ports.mqtt());
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + describe(), e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public Ports ports() {
    return ports;
  }

  public Process process() {
    return process;
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** Command, state and output, for failure messages. */
  public String describe() {
    return "command: "
        + String.join(" ", command)
        + "\nalive: "
        + process.isAlive()
        + (process.isAlive() ? "" : ", exit code " + process.exitValue())
        + "\n--- stdout ---\n"
        + stdout()
        + "\n--- stderr ---\n"
        + stderr();
  }

  /** SIGTERM, as {@code kill <pid>} or a service manager's stop. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL, as {@code kill -9 <pid>}: no shutdown hook runs. */
  public void kill() {
    process.destroyForcibly();
  }

  /** Waits for the process to end and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "pylon process " + pid() + " still running after " + timeout + "\n" + describe());
    }
    return process.exitValue();
  }

  /** Kills the process (by its pid) if it is still running, and waits for it to be gone. */
  @Override
  public void close() {
    ProcessHandle handle = process.toHandle();
    if (handle.isAlive()) {
      handle.destroyForcibly();
      try {
        handle.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // reported by the test that used it; nothing more can be done here
      }
    }
  }
}
