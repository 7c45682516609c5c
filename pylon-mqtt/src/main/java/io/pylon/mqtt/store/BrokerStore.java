package io.pylon.mqtt.store;

/** The broker's durable state: sessions and retained messages, opened and closed together. */
public interface BrokerStore extends AutoCloseable {

  SessionStore sessions();

  RetainedStore retained();

  @Override
  void close();
}
