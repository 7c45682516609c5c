package io.pylon.mqtt.broker;

/**
 * How the broker treats connections from one listener.
 *
 * @param name the listener's configured name, used in logs, metrics and {@link
 *     io.pylon.mqtt.spi.TransportInfo}
 * @param profile the behaviour profile
 * @param limits the limits in force
 * @param loopbackOnly whether the listener is bound to loopback addresses only
 * @param allowAnonymous whether clients without credentials or certificate are admitted; only ever
 *     true while {@code loopbackOnly} is
 * @param webSocket whether MQTT arrives inside WebSocket frames
 */
public record ListenerSettings(
    String name,
    Profile profile,
    BrokerLimits limits,
    boolean loopbackOnly,
    boolean allowAnonymous,
    boolean webSocket) {

  public ListenerSettings {
    if (allowAnonymous && !loopbackOnly) {
      throw new IllegalArgumentException(
          "listener " + name + ": anonymous clients are allowed only on a loopback-bound listener");
    }
  }

  public ListenerSettings asWebSocket() {
    return new ListenerSettings(name, profile, limits, loopbackOnly, allowAnonymous, true);
  }
}
