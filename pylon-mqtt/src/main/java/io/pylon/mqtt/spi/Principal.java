package io.pylon.mqtt.spi;

/**
 * Who a connection acts as, as decided by the {@link Authenticator}. The broker treats it as opaque
 * and hands it back to the {@link Authorizer}; the IoT domain puts its certificate or identity
 * here.
 */
public interface Principal {

  /** A short, loggable name: a certificate id, a user name, {@code anonymous}. Never a secret. */
  String name();

  /** The principal of anonymous clients on a loopback-only plain listener. */
  Principal ANONYMOUS = () -> "anonymous";
}
