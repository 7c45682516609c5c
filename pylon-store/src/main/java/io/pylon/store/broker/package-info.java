/**
 * The broker's durable state ({@link io.pylon.mqtt.store}) over a {@link io.pylon.store.Database}:
 * {@link io.pylon.store.broker.JdbcBrokerStore} and the stored form of messages. Imports from
 * {@code io.pylon.mqtt} only its {@code store} and {@code message} packages.
 */
package io.pylon.store.broker;
