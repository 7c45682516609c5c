package io.pylon.server.config;

import io.pylon.domain.shadow.ShadowLimits;
import io.pylon.http.sigv4.AwsCredentials;
import io.pylon.mqtt.broker.BrokerLimits;
import io.pylon.mqtt.broker.Profile;
import io.pylon.server.config.ConfigLoader.Setting;
import io.pylon.server.rules.RuleSettings;
import io.pylon.server.rules.outbound.LambdaEndpoint;
import io.pylon.server.rules.outbound.OutboundSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns the merged text settings into typed records. Parse errors are reported here; range and
 * cross-key rules live in the records' constructors, and their messages get the source of the
 * offending key appended here, so an operator learns both what is wrong and where it was set.
 */
final class ConfigBinder {

  private final Map<String, Setting> settings;
  private final List<String> problems = new ArrayList<>();

  ConfigBinder(Map<String, Setting> settings) {
    this.settings = settings;
  }

  PylonConfig bind() {
    String bind = text("bind");
    boolean bindValid =
        record(
                "bind",
                () -> {
                  if (!HostNames.isValidHost(bind)) {
                    throw new ConfigException(
                        "bind: not an IP address or host name: '" + bind + "'");
                  }
                  return bind;
                })
            != null;
    Path dataDir = path("data-dir");
    List<String> serverNames = list("server-names");
    List<ListenerConfig> listeners = new ArrayList<>();
    for (String name : ConfigSchema.LISTENER_NAMES) {
      ListenerConfig listener = bindValid ? listener(name, bind) : null;
      listeners.add(listener);
    }
    Map<Profile, BrokerLimits> limits = new EnumMap<>(Profile.class);
    for (Profile profile : Profile.values()) {
      limits.put(profile, limits(profile));
    }
    StorageConfig storage =
        record(
            "storage.url",
            () ->
                new StorageConfig(
                    text("storage.url"), text("storage.username"), text("storage.password")));
    String accountId = text("aws.account-id");
    String region = text("aws.region");
    String accessKeyId = text("aws.access-key-id").trim();
    String secretAccessKey = text("aws.secret-access-key").trim();
    AwsConfig aws =
        record(
            "aws.account-id", () -> new AwsConfig(accountId, region, accessKeyId, secretAccessKey));
    Integer grace = integer("shutdown-grace-seconds", 0, 3600);
    Integer ioThreads = integer("io-threads", 0, PylonConfig.MAX_IO_THREADS);
    RulesConfig rules = aws == null ? null : rules(aws.region());
    ShadowLimits shadow = shadowLimits();
    failIfProblems();
    PylonConfig config =
        record(
            "bind",
            () ->
                new PylonConfig(
                    bind,
                    dataDir,
                    serverNames,
                    listeners,
                    limits,
                    storage,
                    aws,
                    grace,
                    ioThreads,
                    shadow,
                    rules));
    failIfProblems();
    return config;
  }

  private ListenerConfig listener(String name, String defaultBind) {
    String prefix = "listeners." + name + ".";
    Boolean enabled = bool(prefix + "enabled");
    Integer port = integer(prefix + "port", 0, 65_535);
    String bind = text(prefix + "bind").trim();
    Profile profile = profile(prefix + "profile");
    if (enabled == null || port == null || profile == null) {
      return null;
    }
    return record(
        prefix + "port",
        () ->
            new ListenerConfig(name, enabled, port, bind.isEmpty() ? defaultBind : bind, profile));
  }

  /** The {@code rules.*} keys; null when one of them is wrong (the problem is recorded). */
  private RulesConfig rules(String defaultRegion) {
    Integer threads = integer("rules.evaluation-threads", 0, 256);
    Integer queue = integer("rules.evaluation-queue", 1, 10_000_000);
    Integer laneInFlight = integer("rules.action-max-in-flight", 1, 100_000);
    Integer laneQueued = integer("rules.action-max-queued", 0, 10_000_000);
    Integer timeout = integer("rules.http.timeout-millis", 1, 600_000);
    Integer attempts = integer("rules.http.max-attempts", 1, 10);
    Integer concurrent = integer("rules.http.max-concurrent", 1, 100_000);
    Integer httpQueued = integer("rules.http.max-queued", 0, 10_000_000);
    Optional<AwsCredentials> signing = keys("rules.http.");
    Optional<Path> caFile = optionalFile("rules.http.ca-file");
    Optional<AwsCredentials> lambdaKeys = keys("rules.lambda.");
    String endpoint = text("rules.lambda.endpoint").trim();
    String region = text("rules.lambda.region").trim();
    Optional<LambdaEndpoint> lambda = Optional.empty();
    if (!endpoint.isEmpty()) {
      try {
        lambda =
            Optional.of(
                new LambdaEndpoint(
                    URI.create(endpoint),
                    region.isEmpty() ? defaultRegion : region,
                    lambdaKeys.orElse(null)));
      } catch (IllegalArgumentException e) {
        return problem("rules.lambda.endpoint", "not a usable http(s) URL: " + e.getMessage());
      }
    }
    if (threads == null
        || queue == null
        || laneInFlight == null
        || laneQueued == null
        || timeout == null
        || attempts == null
        || concurrent == null
        || httpQueued == null
        || signing == null
        || caFile == null
        || lambdaKeys == null) {
      return null;
    }
    RuleSettings defaults = RuleSettings.defaults();
    return new RulesConfig(
        new RuleSettings(
            threads == 0 ? defaults.evaluationThreads() : threads, queue, laneInFlight, laneQueued),
        OutboundSettings.defaults()
            .withRequestTimeout(Duration.ofMillis(timeout))
            .withMaxAttempts(attempts)
            .withLimits(concurrent, httpQueued),
        signing,
        caFile,
        lambda);
  }

  /** {@code <prefix>access-key-id} and {@code secret-access-key}: both or neither. */
  private Optional<AwsCredentials> keys(String prefix) {
    String id = text(prefix + "access-key-id").trim();
    String secret = text(prefix + "secret-access-key").trim();
    if (id.isEmpty() && secret.isEmpty()) {
      return Optional.empty();
    }
    if (id.isEmpty() || secret.isEmpty()) {
      return problem(
          prefix + "access-key-id", "set both " + prefix + "access-key-id and secret-access-key");
    }
    return Optional.of(new AwsCredentials(id, secret));
  }

  private Optional<Path> optionalFile(String key) {
    String value = text(key).trim();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Path file = path(key);
    if (file == null) {
      return null;
    }
    if (!Files.isReadable(file)) {
      return problem(key, "cannot read " + file);
    }
    return Optional.of(file);
  }

  /**
   * The {@code shadow.*} keys. The ranges are generous sanity bounds, not AWS's values (those are
   * the defaults): 1 MiB of state is more than any MQTT packet of the aws profile carries, and 64
   * levels keeps the recursive depth check shallow.
   */
  private ShadowLimits shadowLimits() {
    Integer stateBytes = integer("shadow.max-state-bytes", 1, 1_048_576);
    Integer depth = integer("shadow.max-depth", 1, 64);
    Integer perSecond = integer("shadow.requests-per-second", 0, 100_000);
    Integer inFlight = integer("shadow.in-flight-per-thing", 0, 100_000);
    if (stateBytes == null || depth == null || perSecond == null || inFlight == null) {
      return null;
    }
    return new ShadowLimits(stateBytes, depth, perSecond, inFlight);
  }

  private BrokerLimits limits(Profile profile) {
    String prefix = "limits." + ConfigSchema.profileName(profile) + ".";
    BrokerLimits.Builder builder = profile.defaultLimits().toBuilder();
    boolean ok = true;
    for (String limit : BrokerLimits.Builder.keys()) {
      Setting setting = settings.get(prefix + limit);
      if (setting == null) {
        continue;
      }
      try {
        builder.set(limit, (String) setting.value());
      } catch (IllegalArgumentException e) {
        problems.add(limitProblem(prefix, e.getMessage(), setting.source()));
        ok = false;
      }
    }
    if (!ok) {
      return null;
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      // BrokerLimits names the limit at the start of its message ("max-qos must be between ...").
      String message = e.getMessage();
      for (String limit : BrokerLimits.Builder.keys()) {
        if (message.startsWith(limit + " ")) {
          Setting setting = settings.get(prefix + limit);
          problems.add(limitProblem(prefix, message, setting == null ? "" : setting.source()));
          return null;
        }
      }
      problems.add(prefix.substring(0, prefix.length() - 1) + ": " + message);
      return null;
    }
  }

  private static String limitProblem(String prefix, String message, String source) {
    for (String limit : BrokerLimits.Builder.keys()) {
      if (message.startsWith(limit + " ")) {
        return prefix + limit + ": " + message.substring(limit.length() + 1) + source;
      }
    }
    return prefix.substring(0, prefix.length() - 1) + ": " + message + source;
  }

  /**
   * Builds a record, turning its {@link ConfigException} into problems. Each problem starts with
   * the key it is about; {@code fallbackKey} is only used when it does not.
   */
  private <T> T record(String fallbackKey, Supplier<T> factory) {
    try {
      return factory.get();
    } catch (ConfigException e) {
      for (String problem : e.problems()) {
        problems.add(problem + sourceOf(keyOf(problem, fallbackKey)));
      }
      return null;
    }
  }

  private static String keyOf(String problem, String fallbackKey) {
    int colon = problem.indexOf(": ");
    String key = colon < 0 ? fallbackKey : problem.substring(0, colon);
    int index = key.indexOf('[');
    return index < 0 ? key : key.substring(0, index); // server-names[2] was set as server-names
  }

  private String sourceOf(String key) {
    Setting setting = settings.get(key);
    return setting == null ? "" : setting.source();
  }

  private void failIfProblems() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private String text(String key) {
    Object value = settings.get(key).value();
    return value instanceof String s ? s : String.join(",", asList(value));
  }

  private List<String> list(String key) {
    Object value = settings.get(key).value();
    return value instanceof String s ? List.of(s) : asList(value);
  }

  @SuppressWarnings("unchecked")
  private static List<String> asList(Object value) {
    return (List<String>) value;
  }

  private Integer integer(String key, int min, int max) {
    String value = text(key).trim().replace("_", "");
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      return problem(key, "must be a whole number, was '" + text(key) + "'");
    }
    if (parsed < min || parsed > max) {
      return problem(key, "must be between " + min + " and " + max + ", was " + parsed);
    }
    return (int) parsed;
  }

  private Boolean bool(String key) {
    String value = text(key).trim();
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    return problem(key, "must be true or false, was '" + value + "'");
  }

  private Profile profile(String key) {
    try {
      return Profile.parse(text(key).trim());
    } catch (IllegalArgumentException e) {
      return problem(key, "must be aws or mqtt, was '" + text(key) + "'");
    }
  }

  private Path path(String key) {
    String value = text(key).trim();
    if (value.isEmpty()) {
      return problem(key, "must not be empty");
    }
    try {
      // Absolute, so that the banner and error messages show where files really are.
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      return problem(key, "not a valid path: " + e.getMessage());
    }
  }

  private <T> T problem(String key, String message) {
    problems.add(key + ": " + message + sourceOf(key));
    return null;
  }
}
