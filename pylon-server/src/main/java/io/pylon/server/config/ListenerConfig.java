package io.pylon.server.config;

import io.pylon.mqtt.broker.Profile;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One listening socket.
 *
 * @param name {@link #MQTTS}, {@link #HTTPS} or {@link #MQTT}; the name fixes what the listener
 *     speaks
 * @param enabled whether the server opens it
 * @param port TCP port, 0 for an ephemeral port (tests)
 * @param bind address to bind, already defaulted to the top-level {@code bind}
 * @param profile broker behaviour and limits for connections on this listener
 */
public record ListenerConfig(String name, boolean enabled, int port, String bind, Profile profile) {

  /** MQTT over TLS, client certificate required (AWS port 8883). */
  public static final String MQTTS = "mqtts";

  /** TLS with ALPN: MQTT ({@code x-amzn-mqtt-ca}) or HTTP/1.1 (REST, WebSocket, metrics). */
  public static final String HTTPS = "https";

  /** Plain MQTT; the only listener that may admit anonymous clients, and only on loopback. */
  public static final String MQTT = "mqtt";

  public ListenerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(profile, "profile");
    if (!ConfigSchema.LISTENER_NAMES.contains(name)) {
      throw new ConfigException(
          "listeners."
              + name
              + ": unknown listener (expected one of "
              + ConfigSchema.LISTENER_NAMES
              + ")");
    }
    if (port < 0 || port > 65_535) {
      throw new ConfigException(
          "listeners." + name + ".port: must be between 0 and 65535, was " + port);
    }
    if (!HostNames.isValidHost(bind)) {
      throw new ConfigException(
          "listeners." + name + ".bind: not an IP address or host name: '" + bind + "'");
    }
  }

  /** Whether the bind address is loopback (127.0.0.0/8, ::1, localhost), judged without DNS. */
  public boolean isLoopback() {
    return HostNames.isLoopback(bind);
  }

  /**
   * Whether clients without credentials are admitted: only on the plain MQTT listener and only
   * while it is bound to loopback, so that opening it to the network can never open it to anyone.
   */
  public boolean allowsAnonymous() {
    return MQTT.equals(name) && isLoopback();
  }

  /** Whether connections are TLS from the first byte. */
  public boolean isTls() {
    return !MQTT.equals(name);
  }

  /** The address to bind; resolves {@link #bind} if it is a host name. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(bind, port);
  }
}
