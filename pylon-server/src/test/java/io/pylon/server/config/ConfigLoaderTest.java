package io.pylon.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.shadow.ShadowLimits;
import io.pylon.mqtt.broker.BrokerLimits;
import io.pylon.mqtt.broker.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path tmp;

  private static PylonConfig load(Map<String, String> overrides) {
    return ConfigLoader.load(Optional.empty(), Map.of(), overrides);
  }

  private PylonConfig loadYaml(String yaml) throws IOException {
    return ConfigLoader.load(Optional.of(writeYaml(yaml)), Map.of(), Map.of());
  }

  private Path writeYaml(String yaml) throws IOException {
    Path file = tmp.resolve("pylon.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void defaultsMatchTheDocumentedSchema() {
    PylonConfig config = ConfigLoader.defaults();

    assertThat(config.bind()).isEqualTo("127.0.0.1");
    assertThat(config.dataDir()).isEqualTo(Path.of("pylon-data").toAbsolutePath());
    assertThat(config.serverNames()).isEmpty();
    assertThat(config.listeners())
        .containsExactly(
            new ListenerConfig("mqtts", true, 8883, "127.0.0.1", Profile.AWS),
            new ListenerConfig("https", true, 8443, "127.0.0.1", Profile.AWS),
            new ListenerConfig("mqtt", true, 1883, "127.0.0.1", Profile.MQTT));
    assertThat(config.limitsFor(Profile.AWS)).isEqualTo(BrokerLimits.aws());
    assertThat(config.limitsFor(Profile.MQTT)).isEqualTo(BrokerLimits.mqtt());
    assertThat(config.storage().isEmbedded()).isTrue();
    assertThat(config.aws()).isEqualTo(new AwsConfig("000000000000", "us-east-1"));
    assertThat(config.shutdownGraceSeconds()).isEqualTo(10);
    assertThat(config.ioThreads()).isZero();
    assertThat(config.ioThreadCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.shadow()).isEqualTo(ShadowLimits.AWS);
  }

  @Test
  void readsEveryKindOfKeyFromYaml() throws IOException {
    PylonConfig config =
        loadYaml(
            """
        bind: 0.0.0.0
        data-dir: /var/lib/pylon
        server-names: [iot.example.com, 10.0.0.5]
        listeners:
          mqtts: { port: 18883 }
          https: { enabled: false, bind: 127.0.0.1 }
          mqtt:
            profile: aws
        limits:
          aws:
            max-packet-size: 65536
            subscription-identifiers: true
          mqtt: {}
        storage:
          url: jdbc:postgresql://db/pylon
          username: pylon
          password: secret
        aws:
          account-id: "123456789012"
          region: eu-west-1
        shutdown-grace-seconds: 0
        io-threads: 3
        """);

    assertThat(config.bind()).isEqualTo("0.0.0.0");
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/pylon"));
    assertThat(config.serverNames()).containsExactly("iot.example.com", "10.0.0.5");
    assertThat(config.listener("mqtts"))
        .isEqualTo(new ListenerConfig("mqtts", true, 18883, "0.0.0.0", Profile.AWS));
    assertThat(config.listener("https"))
        .isEqualTo(new ListenerConfig("https", false, 8443, "127.0.0.1", Profile.AWS));
    assertThat(config.listener("mqtt").profile()).isEqualTo(Profile.AWS);
    assertThat(config.enabledListeners())
        .extracting(ListenerConfig::name)
        .containsExactly("mqtts", "mqtt");
    assertThat(config.limitsFor(Profile.AWS).maxPacketSize()).isEqualTo(65536);
    assertThat(config.limitsFor(Profile.AWS).subscriptionIdentifiers()).isTrue();
    assertThat(config.limitsFor(Profile.MQTT)).isEqualTo(BrokerLimits.mqtt());
    assertThat(config.storage())
        .isEqualTo(new StorageConfig("jdbc:postgresql://db/pylon", "pylon", "secret"));
    assertThat(config.storage().toString()).doesNotContain("secret");
    assertThat(config.aws()).isEqualTo(new AwsConfig("123456789012", "eu-west-1"));
    assertThat(config.shutdownGraceSeconds()).isZero();
    assertThat(config.ioThreadCount()).isEqualTo(3);
  }

  @Test
  void emptyFileAndEmptySectionsMeanDefaults() throws IOException {
    assertThat(loadYaml("")).isEqualTo(ConfigLoader.defaults());
    assertThat(loadYaml("limits:\n  aws:\nlisteners:\n")).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void dottedKeysWorkInsideTheFileToo() throws IOException {
    assertThat(loadYaml("listeners.mqtt.port: 2883\n").listener("mqtt").port()).isEqualTo(2883);
  }

  @Test
  void precedenceIsDefaultsThenFileThenEnvThenOverrides() throws IOException {
    Path file =
        writeYaml(
            """
        listeners: { mqtts: { port: 1001 }, https: { port: 1002 }, mqtt: { port: 1003 } }
        """);
    Map<String, String> env =
        Map.of("PYLON_LISTENERS_HTTPS_PORT", "2002", "PYLON_LISTENERS_MQTT_PORT", "2003");
    Map<String, String> overrides = Map.of("listeners.mqtt.port", "3003");

    PylonConfig config = ConfigLoader.load(Optional.of(file), env, overrides);

    assertThat(config.listener("mqtts").port()).isEqualTo(1001);
    assertThat(config.listener("https").port()).isEqualTo(2002);
    assertThat(config.listener("mqtt").port()).isEqualTo(3003);
    assertThat(config.listener("mqtts").bind()).isEqualTo("127.0.0.1");
  }

  @Test
  void environmentVariablesNameEveryKindOfKey() {
    Map<String, String> env =
        Map.of(
            "PYLON_DATA_DIR", tmp.toString(),
            "PYLON_SERVER_NAMES", "a.example.com, 192.0.2.1",
            "PYLON_LIMITS_AWS_MAX_PACKET_SIZE", "4096",
            "PYLON_AWS_ACCOUNT_ID", "111122223333",
            "PYLON_CONFIG", "ignored: read by the command line",
            "PYLON_LOG_LEVEL", "DEBUG",
            "PYLON_JAVA_OPTS", "-Xmx1g",
            "PATH", "/usr/bin");

    PylonConfig config = ConfigLoader.load(Optional.empty(), env, Map.of());

    assertThat(config.dataDir()).isEqualTo(tmp);
    assertThat(config.serverNames()).containsExactly("a.example.com", "192.0.2.1");
    assertThat(config.limitsFor(Profile.AWS).maxPacketSize()).isEqualTo(4096);
    assertThat(config.aws().accountId()).isEqualTo("111122223333");
  }

  @Test
  void everySchemaKeyHasAnEnvironmentVariable() {
    for (String key : ConfigSchema.keys()) {
      assertThat(ConfigSchema.keyForEnv(ConfigSchema.envName(key))).contains(key);
    }
  }

  @Test
  void overridesSetListsAndPortZero() {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("server-names", "x.example.com,y.example.com");
    overrides.put("listeners.mqtts.port", "0");
    overrides.put("listeners.https.port", "0");
    overrides.put("data-dir", tmp.resolve("d").toString());

    PylonConfig config = load(overrides);

    assertThat(config.serverNames()).containsExactly("x.example.com", "y.example.com");
    assertThat(config.listener("mqtts").port()).isZero();
    assertThat(config.dataDir()).isEqualTo(tmp.resolve("d"));
  }

  @Test
  void portOutOfRangeNamesTheKeyAndTheFile() throws IOException {
    Path file = writeYaml("listeners:\n  mqtts:\n    port: 70000\n");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "listeners.mqtts.port: must be between 0 and 65535, was 70000 (in " + file + ")");
  }

  @Test
  void badValueFromEnvironmentNamesTheVariable() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of("PYLON_LISTENERS_MQTT_ENABLED", "yes please"),
                    Map.of()))
        .hasMessage(
            "listeners.mqtt.enabled: must be true or false, was 'yes please'"
                + " (from environment variable PYLON_LISTENERS_MQTT_ENABLED)");
  }

  @Test
  void unknownKeySuggestsTheClosestOne() throws IOException {
    assertThatThrownBy(() -> loadYaml("listners:\n  mqtt: { port: 1 }\n"))
        .hasMessageStartingWith("unknown key 'listners' (did you mean 'listeners'?)");
    assertThatThrownBy(() -> loadYaml("listeners:\n  mqtts: { prot: 1 }\n"))
        .hasMessageStartingWith(
            "unknown key 'listeners.mqtts.prot' (did you mean 'listeners.mqtts.port'?)");
    assertThatThrownBy(() -> loadYaml("frobnicate: 1\n"))
        .hasMessageStartingWith("unknown key 'frobnicate' (in");
    assertThatThrownBy(() -> load(Map.of("limits.aws.max-paket-size", "1")))
        .hasMessage(
            "unknown key 'limits.aws.max-paket-size' (did you mean 'limits.aws.max-packet-size'?)");
    assertThatThrownBy(
            () -> ConfigLoader.load(Optional.empty(), Map.of("PYLON_DATADIR", "x"), Map.of()))
        .hasMessage(
            "environment variable PYLON_DATADIR does not name a configuration key"
                + " (did you mean PYLON_DATA_DIR?)");
  }

  @Test
  void unknownListenerOrProfileIsAnError() throws IOException {
    assertThatThrownBy(() -> loadYaml("listeners:\n  ws: { port: 1 }\n"))
        .hasMessageStartingWith("unknown key 'listeners.ws'");
    assertThatThrownBy(() -> load(Map.of("listeners.mqtt.profile", "strict")))
        .hasMessage("listeners.mqtt.profile: must be aws or mqtt, was 'strict'");
  }

  @Test
  void limitErrorsCarryTheFullKeyPath() {
    assertThatThrownBy(() -> load(Map.of("limits.aws.max-packet-size", "10")))
        .hasMessage("limits.aws.max-packet-size: must be between 64 and 268435455, was 10");
    assertThatThrownBy(() -> load(Map.of("limits.mqtt.max-qos", "two")))
        .hasMessage("limits.mqtt.max-qos: must be a whole number, was 'two'");
    assertThatThrownBy(() -> load(Map.of("limits.aws.subscription-identifiers", "maybe")))
        .hasMessage("limits.aws.subscription-identifiers: must be true or false, was 'maybe'");
    assertThatThrownBy(() -> load(Map.of("limits.aws.keep-alive-min", "2000")))
        .hasMessage("limits.aws.keep-alive-min: must not exceed keep-alive-max");
  }

  @Test
  void wrongShapesAreReported() throws IOException {
    assertThatThrownBy(() -> loadYaml("listeners: 5\n"))
        .hasMessageStartingWith("listeners: expected a mapping of keys, found '5'");
    assertThatThrownBy(() -> loadYaml("server-names: just-one\n"))
        .hasMessageStartingWith("server-names: expected a list such as [a, b], found 'just-one'");
    assertThatThrownBy(() -> loadYaml("bind: [a, b]\n"))
        .hasMessageStartingWith("bind: expected a single value, found a list");
    assertThatThrownBy(() -> loadYaml("- a\n- b\n"))
        .hasMessageContaining("expected a mapping of keys at the top level");
  }

  @Test
  void invalidYamlAndMissingFileAreReportedWithoutStackTraces() throws IOException {
    assertThatThrownBy(() -> loadYaml("listeners: {mqtt: \n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not valid YAML at line");
    assertThatThrownBy(() -> loadYaml("bind: 127.0.0.1\nbind: 0.0.0.0\n"))
        .hasMessageContaining("Duplicate field 'bind'");
    Path missing = tmp.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(missing), Map.of(), Map.of()))
        .hasMessage("config file " + missing + " does not exist")
        .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
  }

  @Test
  void allProblemsAreReportedAtOnce() {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("listeners.mqtts.port", "-1");
    overrides.put("aws.region", "moon");
    overrides.put("shutdown-grace-seconds", "x");

    assertThatThrownBy(() -> load(overrides))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "listeners.mqtts.port: must be between 0 and 65535, was -1",
                        "aws.region: must be a region name such as us-east-1, was 'moon'",
                        "shutdown-grace-seconds: must be a whole number, was 'x'"));
  }

  @Test
  void adminKeys_fromConfiguration_replaceTheDataDirectorysAndStayOutOfToString() {
    PylonConfig config =
        load(
            Map.of(
                "aws.access-key-id", "AKIAPYLONTEST0001",
                "aws.secret-access-key", "a-secret-of-enough-length"));

    assertThat(config.aws().hasConfiguredKeys()).isTrue();
    assertThat(config.aws().accessKeyId()).isEqualTo("AKIAPYLONTEST0001");
    assertThat(config.aws().toString()).doesNotContain("a-secret-of-enough-length");
    assertThat(load(Map.of()).aws().hasConfiguredKeys()).isFalse();
  }

  @Test
  void adminKeys_halfConfiguredOrMalformed_nameTheKey() {
    assertThatThrownBy(() -> load(Map.of("aws.access-key-id", "AKIAPYLONTEST0001")))
        .hasMessage("aws.access-key-id and aws.secret-access-key: set both or neither");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "aws.access-key-id", "lower-case-key-id",
                        "aws.secret-access-key", "a-secret-of-enough-length")))
        .hasMessageStartingWith("aws.access-key-id: must be 16 to 128 upper-case letters");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "aws.access-key-id", "AKIAPYLONTEST0001",
                        "aws.secret-access-key", "short")))
        .hasMessage("aws.secret-access-key: must be at least 16 characters");
  }

  @Test
  void valueChecks() {
    assertThatThrownBy(() -> load(Map.of("aws.account-id", "123")))
        .hasMessage("aws.account-id: must be exactly 12 digits, was '123'");
    assertThatThrownBy(() -> load(Map.of("storage.url", "postgres://x")))
        .hasMessageStartingWith("storage.url: must be empty or a JDBC URL");
    assertThatThrownBy(() -> load(Map.of("bind", "not an address")))
        .hasMessage("bind: not an IP address or host name: 'not an address'");
    assertThatThrownBy(() -> load(Map.of("listeners.mqtt.bind", "300.1.1.1")))
        .hasMessage("listeners.mqtt.bind: not an IP address or host name: '300.1.1.1'");
    assertThatThrownBy(() -> load(Map.of("server-names", "ok.example.com,bad name")))
        .hasMessage("server-names[1]: not a DNS name or IP address: 'bad name'");
    assertThatThrownBy(() -> load(Map.of("data-dir", " ")))
        .hasMessage("data-dir: must not be empty");
    assertThatThrownBy(() -> load(Map.of("shutdown-grace-seconds", "3601")))
        .hasMessage("shutdown-grace-seconds: must be between 0 and 3600, was 3601");
    assertThatThrownBy(() -> load(Map.of("io-threads", "-1")))
        .hasMessage("io-threads: must be between 0 and 256, was -1");
  }

  @Test
  void shadowLimits_fromFileAndEnvironment_replaceAwsValues() throws IOException {
    Path file = writeYaml("shadow:\n  max-state-bytes: 65_536\n  max-depth: 8\n");

    PylonConfig config =
        ConfigLoader.load(
            Optional.of(file),
            Map.of(
                "PYLON_SHADOW_REQUESTS_PER_SECOND", "0",
                "PYLON_SHADOW_IN_FLIGHT_PER_THING", "50"),
            Map.of());

    assertThat(config.shadow()).isEqualTo(new ShadowLimits(65_536, 8, 0, 50));
  }

  @Test
  void shadowLimit_badValue_namesTheKeyAndWhereItWasSet() throws IOException {
    Path file = writeYaml("shadow:\n  in-flight-per-thing: -1\n");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "shadow.in-flight-per-thing: must be between 0 and 100000, was -1 (in " + file + ")");
    assertThatThrownBy(() -> load(Map.of("shadow.max-state-bytes", "8 KB")))
        .hasMessage("shadow.max-state-bytes: must be a whole number, was '8 KB'");
    assertThatThrownBy(() -> load(Map.of("shadow.max-depth", "0")))
        .hasMessage("shadow.max-depth: must be between 1 and 64, was 0");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(), Map.of("PYLON_SHADOW_REQUESTS_PER_SECOND", "fast"), Map.of()))
        .hasMessage(
            "shadow.requests-per-second: must be a whole number, was 'fast'"
                + " (from environment variable PYLON_SHADOW_REQUESTS_PER_SECOND)");
  }

  @Test
  void twoEnabledListenersOnOnePortAreAnError() {
    assertThatThrownBy(() -> load(Map.of("listeners.https.port", "8883")))
        .hasMessage("listeners.https.port: 8883 is already the port of listener mqtts");

    // Disabled listeners and ephemeral ports never collide.
    assertThat(
            load(Map.of("listeners.https.port", "8883", "listeners.mqtts.enabled", "false"))
                .listener("https")
                .port())
        .isEqualTo(8883);
    assertThat(
            load(Map.of("listeners.https.port", "0", "listeners.mqtts.port", "0"))
                .enabledListeners())
        .hasSize(3);
  }

  @Test
  void anonymousAccessOnlyOnLoopbackPlainListener() {
    PylonConfig local = ConfigLoader.defaults();
    assertThat(local.listener("mqtt").allowsAnonymous()).isTrue();
    assertThat(local.listener("mqtts").allowsAnonymous()).isFalse();
    assertThat(local.listenerSettings(local.listener("mqtt")).allowAnonymous()).isTrue();

    PylonConfig open = load(Map.of("bind", "0.0.0.0"));
    assertThat(open.listener("mqtt").isLoopback()).isFalse();
    assertThat(open.listener("mqtt").allowsAnonymous()).isFalse();
    assertThat(open.listenerSettings(open.listener("mqtt")))
        .satisfies(
            s -> {
              assertThat(s.allowAnonymous()).isFalse();
              assertThat(s.loopbackOnly()).isFalse();
              assertThat(s.limits()).isEqualTo(BrokerLimits.mqtt());
            });
  }

  @Test
  void configIsImmutable() {
    PylonConfig config = load(Map.of("server-names", "a.example.com"));
    assertThatThrownBy(() -> config.serverNames().add("b"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.listeners().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.limits().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(config.shutdownGrace()).hasSeconds(10);
    assertThat(List.copyOf(config.serverNames())).containsExactly("a.example.com");
  }
}
