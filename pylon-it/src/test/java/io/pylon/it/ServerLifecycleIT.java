package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.Mosquitto;
import io.pylon.it.harness.RoundTrip;
import io.pylon.it.harness.ServerProcess;
import io.pylon.server.PylonServer;
import io.pylon.server.config.ConfigLoader;
import io.pylon.server.config.PylonConfig;
import io.pylon.server.pki.DataDirectory;
import io.pylon.server.pki.DataDirectoryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pylon} process as an operator meets it: start-up banner, SIGTERM, exit codes, and the
 * one-line errors for a broken data directory, a mistyped key and a data directory in use.
 */
class ServerLifecycleIT {

  private static final int GRACE_SECONDS = 5;
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path tmp;

  @Test
  void sigtermDisconnectsMqtt5ClientsWithServerShuttingDownAndExitsZero() throws Exception {
    try (ServerProcess server =
        ServerProcess.start(
            tmp.resolve("data"),
            tmp.resolve("logs"),
            "--set",
            "shutdown-grace-seconds=" + GRACE_SECONDS)) {
      CompletableFuture<Throwable> disconnected = new CompletableFuture<>();
      Mqtt5AsyncClient client =
          Clients.hive5(clientId("sigterm"), server.ports().mqtt())
              .addDisconnectedListener(context -> disconnected.complete(context.getCause()))
              .buildAsync();
      client.connect().get(10, TimeUnit.SECONDS);

      long sigterm = System.nanoTime();
      server.terminate(); // SIGTERM

      Throwable cause = disconnected.get(GRACE_SECONDS, TimeUnit.SECONDS);
      assertThat(cause)
          .as("the client must be told why, with a DISCONNECT")
          .isInstanceOf(Mqtt5DisconnectException.class);
      assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN);
      assertThat(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN.getCode()).isEqualTo(0x8B);

      // One idle client closes at once, so the whole stop fits in the grace period.
      Duration left = Duration.ofSeconds(GRACE_SECONDS).minusNanos(System.nanoTime() - sigterm);
      int exit = server.awaitExit(left.isNegative() ? Duration.ZERO : left);
      assertThat(exit).as("exit code after SIGTERM\n" + server.describe()).isZero();
      assertThat(server.stdout()).contains("Pylon stopped");
      assertThat(server.stdout() + server.stderr()).doesNotContainPattern("(?m)^\\s+at ");
    }
  }

  @Test
  void bannerListsEveryEndpointTheCaAndCredentialsFilesAndACommandThatWorks() throws Exception {
    Path data = tmp.resolve("data");
    try (ServerProcess server =
        ServerProcess.start(data, tmp.resolve("logs"), "--set", "io-threads=3")) {
      ServerProcess.Ports ports = server.ports();
      String banner = server.stdout();
      assertThat(banner)
          .containsPattern("started in \\d+ ms \\((epoll|nio) transport, 3 I/O threads\\)")
          .contains("mqtts://127.0.0.1:" + ports.mqtts())
          .contains("https://127.0.0.1:" + ports.https())
          .contains("mqtt://127.0.0.1:" + ports.mqtt())
          .contains(data.resolve("ca").resolve("root-ca.pem").toString())
          .contains(data.resolve("credentials").toString());
      assertThat(data.resolve("ca").resolve("root-ca.pem")).isRegularFile();
      assertThat(data.resolve("credentials")).isRegularFile();

      // "Try: mosquitto_sub ... -t 'demo/#' -v   and then   mosquitto_pub ... -m 'hello pylon'"
      Matcher tryLine =
          Pattern.compile(
                  "Try: (mosquitto_sub .*?)\\s{2,}and then\\s{2,}(mosquitto_pub .*)$",
                  Pattern.MULTILINE)
              .matcher(banner);
      assertThat(tryLine.find()).as("banner has a Try: line\n" + banner).isTrue();
      String sub = tryLine.group(1).trim();
      String pub = tryLine.group(2).trim();
      Mosquitto.executable("mosquitto_sub");
      try (Mosquitto.Subscriber subscriber =
          Mosquitto.subscribeShell(tmp.resolve("mosquitto"), sub + " -C 1 -W 20")) {
        subscriber.awaitSubscribed();
        ServerProcess.Result published = Mosquitto.runShell(tmp.resolve("mosquitto"), pub);
        assertThat(published.exitCode()).as(published.stdout()).isZero();
        assertThat(subscriber.awaitExit()).as(subscriber.output()).isZero();
        assertThat(subscriber.output()).contains("demo/hello hello pylon");
      }
    }
  }

  @Test
  void corruptCaCertificateIsAOneLineErrorNamingTheFile() throws Exception {
    Path data = tmp.resolve("data");
    DataDirectory.open(data, List.of()).close(); // a valid directory first
    Path caFile = data.resolve("ca").resolve("root-ca.pem");
    Files.writeString(
        caFile, "this is not a certificate\n\0\1\2 garbage", StandardCharsets.ISO_8859_1);

    ServerProcess.Result result =
        ServerProcess.run(
            tmp.resolve("logs"),
            CLI_TIMEOUT,
            "start",
            "--data-dir",
            data.toString(),
            "--set",
            "listeners.mqtts.port=0",
            "--set",
            "listeners.https.port=0",
            "--set",
            "listeners.mqtt.port=0");

    assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
    assertOneLineError(result, caFile.toString());
  }

  @Test
  void misspelledConfigurationKeyExitsWithUsageErrorNamingTheKey() {
    ServerProcess.Result result =
        ServerProcess.run(
            tmp.resolve("logs"),
            CLI_TIMEOUT,
            "start",
            "--data-dir",
            tmp.resolve("data").toString(),
            "--set",
            "listners.mqtt.port=1");

    assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
    String line = assertOneLineError(result, "listners.mqtt.port");
    assertThat(line).contains("listeners.mqtt.port"); // the suggestion
    assertThat(tmp.resolve("data"))
        .as("nothing is created for an invalid configuration")
        .doesNotExist();
  }

  @Test
  void secondServerOnTheSameDataDirectoryIsRefusedAsInUse() throws Exception {
    Path data = tmp.resolve("data");
    PylonConfig config =
        ConfigLoader.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "data-dir",
                data.toString(),
                "listeners.mqtts.port",
                "0",
                "listeners.https.port",
                "0",
                "listeners.mqtt.port",
                "0"));
    try (PylonServer holder = PylonServer.start(config)) {
      // Another process ...
      ServerProcess.Result result =
          ServerProcess.run(
              tmp.resolve("logs"),
              CLI_TIMEOUT,
              "start",
              "--data-dir",
              data.toString(),
              "--set",
              "listeners.mqtts.port=0",
              "--set",
              "listeners.https.port=0",
              "--set",
              "listeners.mqtt.port=0");
      assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
      String line = assertOneLineError(result, data.toString());
      assertThat(line).contains("in use").contains("pid " + ProcessHandle.current().pid());

      // ... and a second server in this JVM.
      assertThatThrownBy(() -> PylonServer.start(config).close())
          .isInstanceOf(DataDirectoryException.class)
          .hasMessageContaining("in use");

      // The holder is unharmed.
      Mqtt5AsyncClient client = Clients.hive5(clientId("holder"), holder.port("mqtt")).buildAsync();
      client.connect().get(10, TimeUnit.SECONDS);
      RoundTrip.disconnectQuietly(client);
    }
  }

  /**
   * The operator sees exactly one line on stderr, {@code pylon: <message>} mentioning {@code
   * mentions}, and no stack trace anywhere.
   */
  private static String assertOneLineError(ServerProcess.Result result, String mentions) {
    List<String> lines =
        Arrays.stream(result.stderr().split("\n")).filter(l -> !l.isBlank()).toList();
    assertThat(lines).as("stderr\n" + result.all()).hasSize(1);
    String line = lines.get(0);
    assertThat(line).startsWith("pylon: ").contains(mentions);
    assertThat(result.all())
        .as("no stack trace")
        .doesNotContainPattern("(?m)^\\s+at ")
        .doesNotContain("Exception");
    return line;
  }
}
