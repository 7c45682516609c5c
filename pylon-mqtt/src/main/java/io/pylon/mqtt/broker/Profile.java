package io.pylon.mqtt.broker;

/**
 * A behaviour profile chosen per listener.
 *
 * <ul>
 *   <li>{@link #AWS}: AWS IoT Core's documented deviations from the MQTT specification (maximum QoS
 *       1, retained messages on subscribe only for wildcard-free filters, no subscription
 *       identifiers, topic alias maximum 8, keep-alive clamped to 30..1200 s, {@code $} topics
 *       other than {@code $aws/} refused) and AWS's limits.
 *   <li>{@link #MQTT}: the OASIS specification as written, QoS 2 included.
 * </ul>
 */
public enum Profile {
  AWS,
  MQTT;

  public static Profile parse(String name) {
    for (Profile p : values()) {
      if (p.name().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown profile '" + name + "' (expected aws or mqtt)");
  }

  public BrokerLimits defaultLimits() {
    return this == AWS ? BrokerLimits.aws() : BrokerLimits.mqtt();
  }
}
