package io.pylon.server.config;

import io.pylon.domain.shadow.ShadowLimits;
import io.pylon.mqtt.broker.BrokerLimits;
import io.pylon.mqtt.broker.ListenerSettings;
import io.pylon.mqtt.broker.Profile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole server configuration, validated: an instance that exists is one the server can start
 * with, as far as can be told without touching the network or the disk. Build it with {@link
 * ConfigLoader}; the constructor checks the rules that span several keys.
 *
 * @param bind default bind address of every listener
 * @param dataDir the data directory (CA, server certificate, credentials, embedded database)
 * @param serverNames extra DNS names and IP addresses for the server certificate
 * @param listeners the {@link ListenerConfig#MQTTS}, {@link ListenerConfig#HTTPS} and {@link
 *     ListenerConfig#MQTT} listeners, in that order, enabled or not
 * @param limits broker limits per profile, defaults overridden by {@code limits.<profile>.*}
 * @param storage database settings
 * @param aws account and region that Pylon impersonates
 * @param shutdownGraceSeconds how long a stop waits for connections and work in flight
 * @param ioThreads event-loop threads that carry every connection; 0 for one per core
 * @param shadow Device Shadow limits and quotas, {@code shadow.*}
 * @param rules the rules engine's bounds, outbound HTTP and Lambda endpoint, {@code rules.*}
 */
public record PylonConfig(
    String bind,
    Path dataDir,
    List<String> serverNames,
    List<ListenerConfig> listeners,
    Map<Profile, BrokerLimits> limits,
    StorageConfig storage,
    AwsConfig aws,
    int shutdownGraceSeconds,
    int ioThreads,
    ShadowLimits shadow,
    RulesConfig rules) {

  /** A sanity bound: more event loops than this only add context switches. */
  public static final int MAX_IO_THREADS = 256;

  public PylonConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(aws, "aws");
    Objects.requireNonNull(shadow, "shadow");
    Objects.requireNonNull(rules, "rules");
    serverNames = List.copyOf(serverNames);
    listeners = List.copyOf(listeners);
    limits = Map.copyOf(limits);
    List<String> problems = new ArrayList<>();
    if (!HostNames.isValidHost(bind)) {
      problems.add("bind: not an IP address or host name: '" + bind + "'");
    }
    for (int i = 0; i < serverNames.size(); i++) {
      if (!HostNames.isValidCertificateName(serverNames.get(i))) {
        problems.add(
            "server-names[" + i + "]: not a DNS name or IP address: '" + serverNames.get(i) + "'");
      }
    }
    checkListeners(listeners, problems);
    for (Profile profile : Profile.values()) {
      if (!limits.containsKey(profile)) {
        problems.add("limits." + ConfigSchema.profileName(profile) + ": missing");
      }
    }
    if (ioThreads < 0 || ioThreads > MAX_IO_THREADS) {
      problems.add("io-threads: must be between 0 and " + MAX_IO_THREADS + ", was " + ioThreads);
    }
    if (shutdownGraceSeconds < 0 || shutdownGraceSeconds > 3600) {
      problems.add(
          "shutdown-grace-seconds: must be between 0 and 3600, was " + shutdownGraceSeconds);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** The limits in force for a profile. */
  public BrokerLimits limitsFor(Profile profile) {
    return limits.get(profile);
  }

  /** The listener of that name; every name in {@link ListenerConfig} is always present. */
  public ListenerConfig listener(String name) {
    for (ListenerConfig listener : listeners) {
      if (listener.name().equals(name)) {
        return listener;
      }
    }
    throw new IllegalArgumentException("no listener named '" + name + "'");
  }

  public List<ListenerConfig> enabledListeners() {
    return listeners.stream().filter(ListenerConfig::enabled).toList();
  }

  /** What the broker needs to know about connections arriving on {@code listener}. */
  public ListenerSettings listenerSettings(ListenerConfig listener) {
    return new ListenerSettings(
        listener.name(),
        listener.profile(),
        limitsFor(listener.profile()),
        listener.isLoopback(),
        listener.allowsAnonymous(),
        false);
  }

  /** The event-loop threads to run: {@code io-threads}, or one per core when it is 0. */
  public int ioThreadCount() {
    return ioThreads == 0 ? Runtime.getRuntime().availableProcessors() : ioThreads;
  }

  public Duration shutdownGrace() {
    return Duration.ofSeconds(shutdownGraceSeconds);
  }

  private static void checkListeners(List<ListenerConfig> listeners, List<String> problems) {
    List<String> names = listeners.stream().map(ListenerConfig::name).toList();
    if (!names.equals(ConfigSchema.LISTENER_NAMES)) {
      problems.add("listeners: expected exactly " + ConfigSchema.LISTENER_NAMES + ", got " + names);
      return;
    }
    // Port 0 is ephemeral and never collides; the bind address is ignored on purpose, because
    // 0.0.0.0 and 127.0.0.1 on one port collide too, and distinct ports are simpler to reason
    // about.
    Map<Integer, String> owners = new HashMap<>();
    for (ListenerConfig listener : listeners) {
      if (!listener.enabled() || listener.port() == 0) {
        continue;
      }
      String owner = owners.putIfAbsent(listener.port(), listener.name());
      if (owner != null) {
        problems.add(
            "listeners."
                + listener.name()
                + ".port: "
                + listener.port()
                + " is already the port of listener "
                + owner);
      }
    }
  }
}
