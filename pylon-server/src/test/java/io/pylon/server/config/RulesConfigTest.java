package io.pylon.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RulesConfigTest {

  private static PylonConfig load(Map<String, String> overrides) {
    return ConfigLoader.load(Optional.empty(), Map.of(), overrides);
  }

  @Test
  void defaults_areAwsHttpBehaviour_withoutLambdaOrSigningKeys() {
    RulesConfig rules = load(Map.of()).rules();

    assertThat(rules.http().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(rules.http().maxAttempts()).isEqualTo(3);
    assertThat(rules.engine().evaluationThreads()).isGreaterThanOrEqualTo(2);
    assertThat(rules.lambda()).isEmpty();
    assertThat(rules.httpSigningKeys()).isEmpty();
  }

  @Test
  void configuredValues_takeEffect() {
    RulesConfig rules =
        load(Map.of(
                "rules.evaluation-threads", "3",
                "rules.action-max-queued", "5",
                "rules.http.timeout-millis", "1500",
                "rules.lambda.endpoint", "http://127.0.0.1:9001",
                "rules.lambda.access-key-id", "AKIAEXAMPLEEXAMPLE",
                "rules.lambda.secret-access-key", "secretsecretsecret"))
            .rules();

    assertThat(rules.engine().evaluationThreads()).isEqualTo(3);
    assertThat(rules.engine().maxQueuedPerAction()).isEqualTo(5);
    assertThat(rules.http().requestTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(rules.lambda())
        .hasValueSatisfying(
            l -> {
              assertThat(l.baseUri().toString()).isEqualTo("http://127.0.0.1:9001");
              assertThat(l.region()).isEqualTo("us-east-1");
              assertThat(l.credentials().accessKeyId()).isEqualTo("AKIAEXAMPLEEXAMPLE");
            });
  }

  @Test
  void badValues_nameTheKey() {
    assertThatThrownBy(() -> load(Map.of("rules.evaluation-queue", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules.evaluation-queue: must be between 1 and");
    assertThatThrownBy(() -> load(Map.of("rules.lambda.endpoint", "ftp://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules.lambda.endpoint: not a usable http(s) URL");
    assertThatThrownBy(() -> load(Map.of("rules.http.access-key-id", "AKIAONLYTHEID")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules.http.access-key-id: set both");
    assertThatThrownBy(() -> load(Map.of("rules.http.ca-file", "/no/such/file.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules.http.ca-file: cannot read");
  }
}
