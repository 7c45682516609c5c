package io.pylon.mqtt.message;

/**
 * A topic's retained message and when the broker stored it; the time is what the iot-data API
 * reports as {@code lastModifiedTime}.
 *
 * @param message the retained message (its RETAIN flag set)
 * @param storedAtMillis epoch millis at which the broker retained it
 */
public record RetainedMessage(ApplicationMessage message, long storedAtMillis) {

  public String topic() {
    return message.topic();
  }
}
