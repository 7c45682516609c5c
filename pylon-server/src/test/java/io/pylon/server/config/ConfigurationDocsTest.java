package io.pylon.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.mqtt.broker.BrokerLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/configuration.md in step with the schema: a key added to the code must be documented.
 */
class ConfigurationDocsTest {

  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void everyKeyAndEnvironmentVariableIsDocumented() throws Exception {
    String doc = Files.readString(DOC);
    for (String key : ConfigSchema.defaultValues().keySet()) {
      assertThat(doc).as("docs/configuration.md documents %s", key).contains("| `" + key + "` |");
      assertThat(doc)
          .as("docs/configuration.md names %s", ConfigSchema.envName(key))
          .contains("`" + ConfigSchema.envName(key) + "`");
    }
    for (String limit : BrokerLimits.Builder.keys()) {
      assertThat(doc)
          .as("docs/configuration.md documents limit %s", limit)
          .contains("| `" + limit + "` |");
    }
    for (String name : ConfigLoader.NON_KEY_ENV) {
      assertThat(doc).as("docs/configuration.md explains %s", name).contains("`" + name + "`");
    }
  }
}
