package io.pylon.store.broker;

import io.pylon.mqtt.store.BrokerStore;
import io.pylon.mqtt.store.MemoryBrokerStore;

/**
 * The contract against the in-memory store: proves it asks nothing a map cannot do. A memory
 * store's storage is the instance itself, so "reopening" returns the same one.
 */
class MemoryBrokerStoreTest extends BrokerStoreContract {

  private final MemoryBrokerStore storage = new MemoryBrokerStore();

  @Override
  protected BrokerStore open() {
    return storage;
  }
}
