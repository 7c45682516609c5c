package io.pylon.server.cli;

import io.pylon.server.config.ConfigLoader;
import io.pylon.server.config.PylonConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pylon start}: run a server in the foreground until the process is told to stop. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Start Pylon in the foreground; stop it with Ctrl-C or SIGTERM.",
      "Settings come from defaults, then the config file, then PYLON_* environment variables,"
          + " then these options."
    })
final class StartCommand implements Callable<Integer> {

  /** The hook waits this much longer than the grace period for the server to finish closing. */
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(5);

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration file (default: $PYLON_CONFIG if set, else none).")
  private Path configFile;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (key data-dir).")
  private String dataDir;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description = "Default bind address of all listeners.")
  private String bind;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Set any configuration key, e.g. --set listeners.mqtt.enabled=false. Repeatable.")
  private Map<String, String> settings = new LinkedHashMap<>();

  private final ServerLauncher launcher;
  private final Map<String, String> env;
  private final Function<Duration, StopSignal> stopSignals;

  StartCommand(
      ServerLauncher launcher,
      Map<String, String> env,
      Function<Duration, StopSignal> stopSignals) {
    this.launcher = launcher;
    this.env = env;
    this.stopSignals = stopSignals;
  }

  @Override
  public Integer call() throws Exception {
    PylonConfig config = ConfigLoader.load(configFile(), env, overrides());
    StopSignal stop = stopSignals.apply(config.shutdownGrace().plus(CLOSE_MARGIN));
    try {
      AutoCloseable server = launcher.start(config);
      try {
        stop.await();
      } finally {
        server.close();
      }
    } finally {
      stop.released();
    }
    return PylonCli.EXIT_OK;
  }

  /**
   * The named options win over {@code --set}, being the more specific way to say the same thing.
   */
  Map<String, String> overrides() {
    Map<String, String> overrides = new LinkedHashMap<>(settings);
    if (dataDir != null) {
      overrides.put("data-dir", dataDir);
    }
    if (bind != null) {
      overrides.put("bind", bind);
    }
    return overrides;
  }

  private Optional<Path> configFile() {
    if (configFile != null) {
      return Optional.of(configFile);
    }
    String fromEnv = env.get("PYLON_CONFIG");
    return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(fromEnv));
  }
}
