package io.pylon.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.mqtt.broker.Profile;
import io.pylon.server.config.PylonConfig;
import io.pylon.server.pki.DataDirectoryException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PylonCliTest {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final Map<String, String> env = new HashMap<>();
  private final FakeLauncher launcher = new FakeLauncher();
  private final LatchStopSignal stop = new LatchStopSignal();
  private final List<Duration> closeTimeouts = new ArrayList<>();

  private PylonCli cli() {
    PylonCli cli =
        new PylonCli(
            launcher,
            env,
            timeout -> {
              closeTimeouts.add(timeout);
              return stop;
            });
    cli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    return cli;
  }

  /** Runs a command that returns promptly (the stop signal is already fired). */
  private int run(String... args) {
    stop.fire();
    return cli().execute(args);
  }

  @Test
  void startRunsTheServerUntilStoppedThenClosesIt() throws Exception {
    PylonCli cli = cli();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> cli.execute("start", "--data-dir", tmp.toString()));

    PylonConfig config = launcher.started.get(10, TimeUnit.SECONDS);
    assertThat(config.dataDir()).isEqualTo(tmp);
    assertThat(closeTimeouts).containsExactly(Duration.ofSeconds(15)); // grace 10 s + margin
    assertThat(exit).isNotDone();
    assertThat(launcher.closed.getCount()).isEqualTo(1);

    stop.fire();

    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(launcher.closed.await(0, TimeUnit.SECONDS)).isTrue();
    assertThat(stop.released.getCount()).isZero();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void optionsBecomeOverridesOverFileAndEnvironment() throws Exception {
    Path file = tmp.resolve("pylon.yaml");
    Files.writeString(
        file, "bind: 127.0.0.2\nlisteners:\n  mqtts: { port: 1111 }\n  https: { port: 2222 }\n");
    env.put("PYLON_LISTENERS_HTTPS_PORT", "3333");
    env.put("PYLON_AWS_REGION", "eu-central-1");

    int code =
        run(
            "start",
            "--config",
            file.toString(),
            "--data-dir",
            tmp.resolve("d").toString(),
            "--bind",
            "127.0.0.3",
            "--set",
            "listeners.mqtts.port=0",
            "--set",
            "limits.aws.max-qos=0",
            "--set",
            "bind=10.0.0.1");

    assertThat(code).isZero();
    PylonConfig config = launcher.started.get(0, TimeUnit.SECONDS);
    assertThat(config.bind()).isEqualTo("127.0.0.3"); // --bind beats --set bind=
    assertThat(config.dataDir()).isEqualTo(tmp.resolve("d"));
    assertThat(config.listener("mqtts").port()).isZero();
    assertThat(config.listener("https").port()).isEqualTo(3333);
    assertThat(config.limitsFor(Profile.AWS).maxQos()).isZero();
    assertThat(config.aws().region()).isEqualTo("eu-central-1");
  }

  @Test
  void theConfigFileCanComeFromTheEnvironment() throws Exception {
    Path file = tmp.resolve("from-env.yaml");
    Files.writeString(file, "shutdown-grace-seconds: 3\n");
    env.put("PYLON_CONFIG", file.toString());

    assertThat(run("start")).isZero();
    assertThat(launcher.started.get(0, TimeUnit.SECONDS).shutdownGraceSeconds()).isEqualTo(3);
    assertThat(closeTimeouts).containsExactly(Duration.ofSeconds(8));
  }

  @Test
  void aConfigErrorPrintsThePlainMessageAndExits2() {
    int code = run("start", "--set", "listeners.mqtts.port=70000", "--set", "aws.account-id=1");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "pylon: listeners.mqtts.port: must be between 0 and 65535, was 70000"
                + System.lineSeparator()
                + "pylon: aws.account-id: must be exactly 12 digits, was '1'"
                + System.lineSeparator());
    assertThat(launcher.started).isNotDone();
  }

  @Test
  void aMissingConfigFileExits2() {
    assertThat(run("start", "--config", tmp.resolve("missing.yaml").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("pylon: config file ").contains("does not exist");
  }

  @Test
  void aDataDirectoryErrorFromTheLauncherExits2EvenWhenWrapped() {
    launcher.failure =
        new IllegalStateException(
            "start failed",
            new DataDirectoryException("data directory /x is in use by another Pylon process"));

    assertThat(run("start")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "pylon: data directory /x is in use by another Pylon process" + System.lineSeparator());
    assertThat(stop.released.getCount()).isZero();
  }

  @Test
  void anUnexpectedFailureExits1WithAStackTrace() {
    launcher.failure = new IllegalStateException("boom");

    assertThat(run("start")).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("pylon: start failed: java.lang.IllegalStateException: boom")
        .contains("\tat ");
  }

  @Test
  void malformedArgumentsExit2() {
    assertThat(run("start", "--set", "no-equals-sign")).isEqualTo(2);
    assertThat(err.toString()).contains("--set");
    assertThat(run("start", "--no-such-option")).isEqualTo(2);
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(launcher.started).isNotDone();
  }

  @Test
  void noCommandPrintsUsageAndExits2() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: pylon").contains("start").contains("version");
  }

  @Test
  void helpIsAvailableEverywhere() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("Usage: pylon")
        .contains("start")
        .contains("version")
        .contains("help");

    out.getBuffer().setLength(0);
    assertThat(run("start", "--help")).isZero();
    assertThat(out.toString())
        .contains("--config=FILE", "--data-dir=DIR", "--bind=ADDR", "--set=KEY=VALUE");

    out.getBuffer().setLength(0);
    assertThat(run("help", "start")).isZero();
    assertThat(out.toString()).contains("Usage: pylon start");
    assertThat(launcher.started).isNotDone();
  }

  @Test
  void versionPrintsTheVersion() {
    assertThat(run("version")).isZero();
    assertThat(out.toString()).startsWith("pylon " + PylonVersion.version()).contains("Java ");

    out.getBuffer().setLength(0);
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("pylon ");
  }

  /** Records the configuration it was started with; its server counts its closes. */
  private static final class FakeLauncher implements ServerLauncher {
    final CompletableFuture<PylonConfig> started = new CompletableFuture<>();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile Exception failure;

    @Override
    public AutoCloseable start(PylonConfig config) throws Exception {
      if (failure != null) {
        throw failure;
      }
      started.complete(config);
      return closed::countDown;
    }
  }

  private static final class LatchStopSignal implements StopSignal {
    final CountDownLatch requested = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);

    void fire() {
      requested.countDown();
    }

    @Override
    public void await() throws InterruptedException {
      if (!requested.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException(new TimeoutException("test never fired the stop signal"));
      }
    }

    @Override
    public void released() {
      released.countDown();
    }
  }

  @Test
  void rulesTest_showsTheOutputAndTheRenderedActions_withoutAServer() throws Exception {
    Path rule = tmp.resolve("rule.json");
    java.nio.file.Files.writeString(
        rule,
        "{\"sql\": \"SELECT temp, topic(2) AS device FROM 'sensors/+/t' WHERE temp > 50\","
            + " \"awsIotSqlVersion\": \"2016-03-23\","
            + " \"actions\": [{\"republish\": {\"roleArn\": \"arn:aws:iam::1:role/r\","
            + " \"topic\": \"alerts/${topic(2)}\"}}]}");

    int code =
        run(
            "rules",
            "test",
            "--rule",
            rule.toString(),
            "--topic",
            "sensors/boiler/t",
            "--payload",
            "{\"temp\": 71}");

    assertThat(code).as(err.toString()).isZero();
    com.fasterxml.jackson.databind.JsonNode result =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    assertThat(result.path("matched").asBoolean()).isTrue();
    assertThat(result.path("output").toString()).isEqualTo("{\"temp\":71,\"device\":\"boiler\"}");
    assertThat(result.path("actions").get(0).path("request").path("topic").asText())
        .isEqualTo("alerts/boiler");
  }

  @Test
  void rulesTest_invalidSql_isAnOperatorError_namingThePosition() {
    int code =
        run("rules", "test", "--sql", "SELECT a FORM 't'", "--topic", "t", "--payload", "{}");

    assertThat(code).isEqualTo(PylonCli.EXIT_USAGE);
    assertThat(err.toString()).startsWith("pylon: ").containsPattern("1:\\d+");
  }
}
