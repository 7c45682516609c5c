package io.pylon.mqtt.broker;

import io.netty.channel.ChannelPipeline;
import io.pylon.mqtt.message.ApplicationMessage;
import java.time.Duration;

/** The MQTT broker. (Being written.) */
public final class MqttBroker implements AutoCloseable {

  private final BrokerOptions options;

  public MqttBroker(BrokerOptions options) {
    this.options = options;
  }

  /** Recovers persistent sessions and retained messages from the store. */
  public void start() {}

  /**
   * Adds the MQTT codec and connection handler to a pipeline whose transport (TCP, TLS, WebSocket)
   * is already in place.
   */
  public void initPipeline(ChannelPipeline pipeline, ListenerSettings listener) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Publishes a message from the server itself (shadows, jobs, lifecycle events, REST publish). */
  public void publish(ApplicationMessage message) {}

  /**
   * Disconnects every client (MQTT 5: reason 0x8B server shutting down), then writes persistent
   * sessions and retained messages to the store.
   */
  public void shutdown(Duration grace) {}

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(5));
  }

  public BrokerOptions options() {
    return options;
  }
}
