package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RulesOptionsTest {

  private static final ScenarioDefaults DEFAULTS = new ScenarioDefaults(10, 1_000, 1, 100);

  private static LoadSettings resolve(String... args) {
    BenchMain.Rules command = new BenchMain.Rules();
    new CommandLine(command).parseArgs(args);
    return command.options.resolve(DEFAULTS);
  }

  @Test
  void checkRulesSettings_defaults_oneTopicPerRule() {
    assertThat(BenchMain.checkRulesSettings(resolve(), 100, null, 2)).isEqualTo(100);
  }

  @Test
  void checkRulesSettings_baseline_defaultsTo100Topics() {
    assertThat(BenchMain.checkRulesSettings(resolve(), 0, null, 2)).isEqualTo(100);
    assertThat(BenchMain.checkRulesSettings(resolve(), 0, 7, 2)).isEqualTo(7);
  }

  @Test
  void checkRulesSettings_refusesWhatTheScenarioCannotRun() {
    assertThatThrownBy(() -> BenchMain.checkRulesSettings(resolve("--qos", "2"), 100, null, 2))
        .hasMessageContaining("--qos must be 0 or 1");
    assertThatThrownBy(
            () -> BenchMain.checkRulesSettings(resolve("--payload-bytes", "49"), 100, null, 2))
        .hasMessageContaining("--payload-bytes must be at least " + RulePayload.MIN_BYTES);
    assertThatThrownBy(() -> BenchMain.checkRulesSettings(resolve(), 100, 50, 2))
        .hasMessageContaining("--topics must equal --rules");
    assertThatThrownBy(
            () -> BenchMain.checkRulesSettings(resolve("--client-id-prefix", "a'b"), 100, null, 2))
        .hasMessageContaining("--client-id-prefix");
    assertThatThrownBy(() -> BenchMain.checkRulesSettings(resolve(), 100, null, 0))
        .hasMessageContaining("--sink-threads");
  }
}
