package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LoadOptionsTest {

  private static final ScenarioDefaults DEFAULTS = new ScenarioDefaults(10, 1_000, 1, 20);

  private static LoadSettings resolve(String... args) {
    BenchMain.FanIn command = new BenchMain.FanIn();
    new CommandLine(command).parseArgs(args);
    return command.options.resolve(DEFAULTS);
  }

  @Test
  void resolve_noOptions_appliesScenarioDefaultsAndLoopback() {
    LoadSettings s = resolve();

    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(1883);
    assertThat(s.version()).isEqualTo(MqttVersion.MQTT_3_1_1);
    assertThat(s.clients()).isEqualTo(10);
    assertThat(s.messages()).isEqualTo(1_000);
    assertThat(s.qos()).isEqualTo(1);
    assertThat(s.inflight()).isEqualTo(20);
    assertThat(s.peak()).isTrue();
    assertThat(s.tls()).isNull();
    assertThat(s.clientIdPrefix()).startsWith("pb-");
  }

  @Test
  void resolve_explicitOptions_overrideDefaults() {
    LoadSettings s =
        resolve(
            "--port",
            "18830",
            "--protocol",
            "5",
            "--qos",
            "0",
            "--clients",
            "3",
            "--messages",
            "7",
            "--rate",
            "500",
            "--inflight",
            "4",
            "--client-id-prefix",
            "x1");

    assertThat(s.port()).isEqualTo(18830);
    assertThat(s.version()).isEqualTo(MqttVersion.MQTT_5);
    assertThat(s.qos()).isZero();
    assertThat(s.clients()).isEqualTo(3);
    assertThat(s.messages()).isEqualTo(7);
    assertThat(s.rate()).isEqualTo(500.0);
    assertThat(s.peak()).isFalse();
    assertThat(s.inflight()).isEqualTo(4);
    assertThat(s.clientIdPrefix()).isEqualTo("x1");
  }

  @Test
  void resolve_invalidValues_failWithTheOptionName() {
    assertThatThrownBy(() -> resolve("--qos", "3")).hasMessageContaining("--qos");
    assertThatThrownBy(() -> resolve("--port", "0")).hasMessageContaining("--port");
    assertThatThrownBy(() -> resolve("--payload-bytes", "15"))
        .hasMessageContaining("--payload-bytes");
    assertThatThrownBy(() -> resolve("--protocol", "4.0")).hasMessageContaining("--protocol");
    assertThatThrownBy(() -> resolve("--rate", "-1")).hasMessageContaining("--rate");
    assertThatThrownBy(() -> resolve("--rate", "NaN")).hasMessageContaining("--rate");
    assertThatThrownBy(() -> resolve("--duration", "0")).hasMessageContaining("--duration");
    assertThatThrownBy(() -> resolve("--messages", "0")).hasMessageContaining("--messages");
    assertThatThrownBy(() -> resolve("--inflight", "65536")).hasMessageContaining("--inflight");
    assertThatThrownBy(() -> resolve("--threads", "0")).hasMessageContaining("--threads");
    assertThatThrownBy(() -> resolve("--client-id-prefix", "a/b"))
        .hasMessageContaining("--client-id-prefix");
  }

  @Test
  void resolve_serverPidOfNoProcess_fails() {
    assertThatThrownBy(() -> resolve("--server-pid", "999999999"))
        .hasMessageContaining("no such process");
  }

  @Test
  void resolve_serverPidOfThisProcess_isAccepted() {
    long self = ProcessHandle.current().pid();

    assertThat(resolve("--server-pid", Long.toString(self)).serverPid()).isEqualTo(self);
  }

  @Test
  void resolve_tlsOptionsWithoutTls_fail() {
    assertThatThrownBy(() -> resolve("--insecure")).hasMessageContaining("need --tls");
  }

  @Test
  void resolve_tlsWithoutTrustDecision_fails() {
    assertThatThrownBy(() -> resolve("--tls")).hasMessageContaining("--cafile");
  }

  @Test
  void resolve_certWithoutKey_fails(@TempDir Path dir) throws IOException {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");

    assertThatThrownBy(() -> resolve("--tls", "--insecure", "--cert", cert.toString()))
        .hasMessageContaining("--cert and --key");
  }

  @Test
  void resolve_tlsWithReadableFiles_keepsThem(@TempDir Path dir) throws IOException {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    Path key = Files.writeString(dir.resolve("k.pem"), "x");

    LoadSettings s =
        resolve(
            "--tls", "--cafile", ca.toString(), "--cert", cert.toString(), "--key", key.toString());

    assertThat(s.tls()).isEqualTo(new TlsSettings(ca, cert, key));
  }

  @Test
  void checkConnectionBudget_moreSocketsThanTheFdLimitAllows_failsWithAHint() {
    LoadOptions.checkConnectionBudget(15_000, 20_000);

    assertThatThrownBy(() -> LoadOptions.checkConnectionBudget(19_900, 20_000))
        .hasMessageContaining("ulimit -n")
        .hasMessageContaining("--clients");
  }

  @Test
  void budget_messagesSpreadOverPublishers_sumToTheTotal() {
    long sum = 0;
    for (int i = 0; i < 7; i++) {
      long b = PubSubRun.budget(100, 7, i);
      assertThat(b).isBetween(14L, 15L);
      sum += b;
    }
    assertThat(sum).isEqualTo(100);
    assertThat(PubSubRun.budget(3, 10, 9)).isZero();
  }

  private static LoadSettings shadow(String... args) {
    BenchMain.Shadow command = new BenchMain.Shadow();
    new CommandLine(command).parseArgs(args);
    return command.options.resolve(new ScenarioDefaults(1000, 1_000_000, 1, 1));
  }

  @Test
  void shadowSettings_defaultsPass_rateQos2AndBadPrefixAreRefused() {
    BenchMain.checkShadowSettings(shadow());

    assertThatThrownBy(() -> BenchMain.checkShadowSettings(shadow("--rate", "100")))
        .hasMessageContaining("not at a --rate");
    assertThatThrownBy(() -> BenchMain.checkShadowSettings(shadow("--qos", "2")))
        .hasMessageContaining("--qos must be 0 or 1");
    assertThatThrownBy(() -> BenchMain.checkShadowSettings(shadow("--client-id-prefix", "a.b")))
        .hasMessageContaining("thing names");
  }
}
