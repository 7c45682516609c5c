package io.pylon.mqtt.broker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.Authenticator;
import io.pylon.mqtt.spi.Authorizer;
import io.pylon.mqtt.spi.BrokerListener;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.spi.PublishInterceptor;
import io.pylon.mqtt.store.BrokerStore;
import io.pylon.mqtt.store.MemoryBrokerStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the broker is built from; the server's wiring fills it in.
 *
 * @param clock time source for expiry and rate limits
 * @param store durable sessions and retained messages
 * @param authenticator decides who a connection is
 * @param authorizer decides what it may do
 * @param interceptors servers of reserved topics, asked in order
 * @param listeners observers of broker events
 * @param meters where metrics go
 */
public record BrokerOptions(
    Clock clock,
    BrokerStore store,
    Authenticator authenticator,
    Authorizer authorizer,
    List<PublishInterceptor> interceptors,
    List<BrokerListener> listeners,
    MeterRegistry meters) {

  public BrokerOptions {
    interceptors = List.copyOf(interceptors);
    listeners = List.copyOf(listeners);
  }

  /**
   * Options for a broker that admits anonymous clients, allows everything and keeps state in
   * memory: for tests and embedding.
   */
  public static BrokerOptions permissive() {
    return new BrokerOptions(
        Clock.systemUTC(),
        new MemoryBrokerStore(),
        request -> CompletableFuture.completedFuture(AuthResult.allow(Principal.ANONYMOUS)),
        Authorizer.ALLOW_ALL,
        List.of(),
        List.of(),
        new SimpleMeterRegistry());
  }

  public BrokerOptions withStore(BrokerStore newStore) {
    return new BrokerOptions(
        clock, newStore, authenticator, authorizer, interceptors, listeners, meters);
  }

  public BrokerOptions withAuth(Authenticator newAuthenticator, Authorizer newAuthorizer) {
    return new BrokerOptions(
        clock, store, newAuthenticator, newAuthorizer, interceptors, listeners, meters);
  }

  public BrokerOptions withListeners(List<BrokerListener> newListeners) {
    return new BrokerOptions(
        clock, store, authenticator, authorizer, interceptors, newListeners, meters);
  }

  public BrokerOptions withInterceptors(List<PublishInterceptor> newInterceptors) {
    return new BrokerOptions(
        clock, store, authenticator, authorizer, newInterceptors, listeners, meters);
  }

  public BrokerOptions withMeters(MeterRegistry newMeters) {
    return new BrokerOptions(
        clock, store, authenticator, authorizer, interceptors, listeners, newMeters);
  }

  public BrokerOptions withClock(Clock newClock) {
    return new BrokerOptions(
        newClock, store, authenticator, authorizer, interceptors, listeners, meters);
  }
}
