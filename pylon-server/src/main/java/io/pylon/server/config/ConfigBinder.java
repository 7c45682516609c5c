package io.pylon.server.config;

import io.pylon.domain.shadow.ShadowLimits;
import io.pylon.mqtt.broker.BrokerLimits;
import io.pylon.mqtt.broker.Profile;
import io.pylon.server.config.ConfigLoader.Setting;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
    ShadowLimits shadow = shadowLimits();
    failIfProblems();
    PylonConfig config =
        record(
            "bind",
            () ->
                new PylonConfig(
                    bind, dataDir, serverNames, listeners, limits, storage, aws, grace, shadow));
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
