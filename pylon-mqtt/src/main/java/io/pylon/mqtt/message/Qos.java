package io.pylon.mqtt.message;

/** MQTT quality of service levels; {@link #value()} is the wire value. */
public enum Qos {
  AT_MOST_ONCE(0),
  AT_LEAST_ONCE(1),
  EXACTLY_ONCE(2);

  private static final Qos[] BY_VALUE = values();

  private final int value;

  Qos(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static Qos of(int value) {
    if (value < 0 || value > 2) {
      throw new IllegalArgumentException("QoS must be 0, 1 or 2, was " + value);
    }
    return BY_VALUE[value];
  }

  public static Qos min(Qos a, Qos b) {
    return a.value <= b.value ? a : b;
  }
}
