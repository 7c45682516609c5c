package io.pylon.mqtt.spi;

/**
 * Decides whether a principal may do something. Called on the event loop for every CONNECT,
 * PUBLISH, SUBSCRIBE and for every delivery (RECEIVE), so it must answer from memory:
 * implementations cache compiled decisions per connection and invalidate them when policies change.
 */
@FunctionalInterface
public interface Authorizer {

  /**
   * @param principal the connection's principal
   * @param clientId the connection's client id (for policy variables)
   * @param action what is asked
   * @param resource the client id (CONNECT), topic name or topic filter
   */
  boolean isAllowed(Principal principal, String clientId, Action action, String resource);

  /** Allows everything: anonymous local listeners and tests. */
  Authorizer ALLOW_ALL = (principal, clientId, action, resource) -> true;
}
