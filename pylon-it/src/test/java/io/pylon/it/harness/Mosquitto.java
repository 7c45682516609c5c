package io.pylon.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Mosquitto command-line clients (Debian package mosquitto-clients, which {@code ./pylon test}
 * installs). Missing clients fail the test: a suite never skips for want of a prerequisite.
 */
public final class Mosquitto {

  private Mosquitto() {}

  /** The path of {@code mosquitto_pub} or {@code mosquitto_sub}; fails the test when absent. */
  public static Path executable(String name) {
    Optional<Path> found =
        Arrays.stream(
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
            .map(dir -> Path.of(dir, name))
            .filter(Files::isExecutable)
            .findFirst();
    assertThat(found)
        .as(
            name
                + " not found on PATH; install the Debian package mosquitto-clients (./pylon test does)")
        .isPresent();
    return found.get();
  }

  /** A running {@code mosquitto_sub}, started with {@code -d} so that its SUBACK can be seen. */
  public static final class Subscriber implements AutoCloseable {
    private final Process process;
    private final Path output;

    private Subscriber(Process process, Path output) {
      this.process = process;
      this.output = output;
    }

    public String output() {
      try {
        return Files.readString(output, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Waits for the broker's SUBACK, so that a message published next is certainly routed to it.
     */
    public Subscriber awaitSubscribed() {
      await("mosquitto_sub to be subscribed")
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError(
                      "mosquitto_sub exited with " + process.exitValue() + ":\n" + output());
                }
                return output().contains("received SUBACK");
              });
      return this;
    }

    /** Waits for the process to exit (after -C messages) and returns its exit code. */
    public int awaitExit() throws InterruptedException {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        throw new AssertionError("mosquitto_sub did not exit:\n" + output());
      }
      return process.exitValue();
    }

    @Override
    public void close() {
      ProcessHandle handle = process.toHandle();
      if (handle.isAlive()) {
        handle.destroyForcibly();
        try {
          handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          // nothing more to do
        }
      }
    }
  }

  /** Starts {@code mosquitto_sub -d <args>}; output goes to a file in {@code dir}. */
  public static Subscriber subscribe(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    // stdout is a file, so the C library would buffer the debug lines this class waits for.
    command.addAll(List.of(executable("stdbuf").toString(), "-oL", "-eL"));
    command.add(executable("mosquitto_sub").toString());
    command.add("-d");
    command.addAll(List.of(args));
    Path out = Files.createTempFile(Files.createDirectories(dir), "mosquitto_sub-", ".out");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    Subscriber subscriber = new Subscriber(process, out);
    LogCapture.attach("mosquitto_sub " + process.pid(), subscriber::output);
    return subscriber;
  }

  /**
   * Starts a {@code mosquitto_sub} command line given as shell text (e.g. copied from the banner),
   * with {@code -d} appended so that its SUBACK can be seen.
   */
  public static Subscriber subscribeShell(Path dir, String commandLine) throws IOException {
    Path out = Files.createTempFile(Files.createDirectories(dir), "mosquitto_sub-", ".out");
    Process process =
        new ProcessBuilder(
                "sh", "-c", "exec " + executable("stdbuf") + " -oL -eL " + commandLine + " -d")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    Subscriber subscriber = new Subscriber(process, out);
    LogCapture.attach("sh -c " + commandLine, subscriber::output);
    return subscriber;
  }

  /** Runs a command line given as shell text to completion. */
  public static ServerProcess.Result runShell(Path dir, String commandLine)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(Files.createDirectories(dir), "shell-", ".out");
    Process process =
        new ProcessBuilder("sh", "-c", "exec " + commandLine)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        throw new AssertionError(commandLine + " did not exit: " + Files.readString(out));
      }
      return new ServerProcess.Result(process.exitValue(), Files.readString(out), "");
    } finally {
      if (process.isAlive()) {
        process.toHandle().destroyForcibly();
      }
    }
  }

  /** Runs {@code mosquitto_pub <args>} to completion and returns its exit code and output. */
  public static ServerProcess.Result publish(Path dir, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable("mosquitto_pub").toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(Files.createDirectories(dir), "mosquitto_pub-", ".out");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        throw new AssertionError("mosquitto_pub did not exit: " + Files.readString(out));
      }
      return new ServerProcess.Result(process.exitValue(), Files.readString(out), "");
    } finally {
      if (process.isAlive()) {
        process.toHandle().destroyForcibly();
      }
    }
  }
}
