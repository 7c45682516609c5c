package io.pylon.store.broker;

import io.pylon.mqtt.store.BrokerStore;
import io.pylon.mqtt.store.RetainedStore;
import io.pylon.mqtt.store.SessionStore;
import io.pylon.store.Database;

/**
 * A store that closes its database with it, as the server's shutdown does, so that a contract's
 * "close, then open again" reopens the database too.
 */
record DatabaseOwningStore(BrokerStore store, Database database) implements BrokerStore {

  @Override
  public SessionStore sessions() {
    return store.sessions();
  }

  @Override
  public RetainedStore retained() {
    return store.retained();
  }

  @Override
  public void close() {
    store.close();
    database.close();
  }
}
