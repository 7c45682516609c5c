package io.pylon.server.config;

import io.pylon.domain.shadow.ShadowLimits;
import io.pylon.mqtt.broker.BrokerLimits;
import io.pylon.mqtt.broker.Profile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every configuration key and its default. The key set is finite (listener names are fixed and
 * limit keys come from {@link BrokerLimits.Builder#keys()}), which is what lets environment
 * variables be mapped back to keys by normalising names, and lets any unknown key be rejected with
 * a suggestion.
 */
final class ConfigSchema {

  static final List<String> LISTENER_NAMES =
      List.of(ListenerConfig.MQTTS, ListenerConfig.HTTPS, ListenerConfig.MQTT);

  static final String ENV_PREFIX = "PYLON_";

  /** Leaf keys whose value is a list; everything else is a scalar kept as text until bound. */
  private static final Set<String> LIST_KEYS = Set.of("server-names");

  private static final Map<String, Object> DEFAULTS = defaults();
  private static final Set<String> KEYS = computeKeys();
  private static final Set<String> BRANCHES = branches(KEYS);
  private static final Map<String, String> ENV_NAMES = envNames(KEYS);

  private ConfigSchema() {}

  /** Default values of all keys except limits (which default per profile); text or list of text. */
  static Map<String, Object> defaultValues() {
    return DEFAULTS;
  }

  /** All leaf keys, in documentation order. */
  static Set<String> keys() {
    return KEYS;
  }

  private static Set<String> computeKeys() {
    Set<String> keys = new LinkedHashSet<>(DEFAULTS.keySet());
    for (Profile profile : Profile.values()) {
      for (String limit : BrokerLimits.Builder.keys()) {
        keys.add(limitKey(profile, limit));
      }
    }
    return Collections.unmodifiableSet(keys);
  }

  static boolean isLeaf(String key) {
    return KEYS.contains(key);
  }

  /**
   * Whether {@code path} is an inner node such as {@code listeners.mqtts}; the root is {@code ""}.
   */
  static boolean isBranch(String path) {
    return BRANCHES.contains(path);
  }

  static boolean isList(String key) {
    return LIST_KEYS.contains(key);
  }

  /** The direct children of a branch, by their last segment, for suggestions. */
  static List<String> childNames(String branch) {
    String prefix = branch.isEmpty() ? "" : branch + ".";
    Set<String> names = new LinkedHashSet<>();
    for (String key : KEYS) {
      if (key.startsWith(prefix)) {
        String rest = key.substring(prefix.length());
        int dot = rest.indexOf('.');
        names.add(dot < 0 ? rest : rest.substring(0, dot));
      }
    }
    return new ArrayList<>(names);
  }

  static String limitKey(Profile profile, String limit) {
    return "limits." + profileName(profile) + "." + limit;
  }

  static String profileName(Profile profile) {
    return profile.name().toLowerCase(Locale.ROOT);
  }

  /** {@code listeners.mqtts.port} becomes {@code PYLON_LISTENERS_MQTTS_PORT}. */
  static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The key an environment variable names, if any. */
  static Optional<String> keyForEnv(String envName) {
    return Optional.ofNullable(ENV_NAMES.get(envName));
  }

  static Collection<String> envNames() {
    return ENV_NAMES.keySet();
  }

  /**
   * The candidate closest to {@code input} if it is close enough to be a likely typo, so that
   * {@code listners} suggests {@code listeners} but {@code foo} suggests nothing.
   */
  static Optional<String> suggest(String input, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(input.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, Math.min(3, input.length() / 3));
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  private static Map<String, Object> defaults() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("bind", "127.0.0.1");
    d.put("data-dir", "./pylon-data");
    d.put("server-names", List.of());
    listener(d, ListenerConfig.MQTTS, 8883, "aws");
    listener(d, ListenerConfig.HTTPS, 8443, "aws");
    listener(d, ListenerConfig.MQTT, 1883, "mqtt");
    d.put("storage.url", "");
    d.put("storage.username", "");
    d.put("storage.password", "");
    d.put("aws.account-id", "000000000000");
    d.put("aws.region", "us-east-1");
    d.put("aws.access-key-id", "");
    d.put("aws.secret-access-key", "");
    d.put("shutdown-grace-seconds", "10");
    d.put("io-threads", "0"); // 0: one per core
    d.put("shadow.max-state-bytes", Integer.toString(ShadowLimits.AWS.maxStateBytes()));
    d.put("shadow.max-depth", Integer.toString(ShadowLimits.AWS.maxDepth()));
    d.put("shadow.requests-per-second", Integer.toString(ShadowLimits.AWS.requestsPerSecond()));
    d.put("shadow.in-flight-per-thing", Integer.toString(ShadowLimits.AWS.inFlightPerThing()));
    d.put("rules.evaluation-threads", "0"); // 0: one per core, at least 2
    d.put("rules.evaluation-queue", "10000");
    d.put("rules.action-max-in-flight", "64");
    d.put("rules.action-max-queued", "1000");
    d.put("rules.http.timeout-millis", "3000");
    d.put("rules.http.max-attempts", "3");
    d.put("rules.http.max-concurrent", "64");
    d.put("rules.http.max-queued", "1000");
    d.put("rules.http.ca-file", "");
    d.put("rules.http.access-key-id", "");
    d.put("rules.http.secret-access-key", "");
    d.put("rules.lambda.endpoint", "");
    d.put("rules.lambda.region", ""); // empty: aws.region
    d.put("rules.lambda.access-key-id", "");
    d.put("rules.lambda.secret-access-key", "");
    return Collections.unmodifiableMap(d);
  }

  private static void listener(Map<String, Object> d, String name, int port, String profile) {
    String prefix = "listeners." + name + ".";
    d.put(prefix + "enabled", "true");
    d.put(prefix + "port", Integer.toString(port));
    d.put(prefix + "bind", ""); // empty: the top-level bind
    d.put(prefix + "profile", profile);
  }

  private static Set<String> branches(Set<String> keys) {
    Set<String> branches = new LinkedHashSet<>();
    branches.add("");
    for (String key : keys) {
      for (int dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
        branches.add(key.substring(0, dot));
      }
    }
    return Collections.unmodifiableSet(branches);
  }

  private static Map<String, String> envNames(Set<String> keys) {
    Map<String, String> names = new LinkedHashMap<>();
    for (String key : keys) {
      String previous = names.put(envName(key), key);
      if (previous != null) {
        throw new IllegalStateException(
            key + " and " + previous + " share an environment variable");
      }
    }
    return Collections.unmodifiableMap(names);
  }

  /**
   * Edit distance counting a swap of neighbours as one edit (optimal string alignment), since
   * {@code prot} for {@code port} is one slip of the fingers. Keys are short: a full table is fine.
   */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
