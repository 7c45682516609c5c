/**
 * What the broker asks of durable storage: {@link io.pylon.mqtt.store.SessionStore} and {@link
 * io.pylon.mqtt.store.RetainedStore}, with plain records and byte arrays, never Netty buffers. The
 * JDBC implementation lives in the {@code pylon-store} module; {@link
 * io.pylon.mqtt.store.MemoryBrokerStore} serves embedding and tests.
 */
package io.pylon.mqtt.store;
