package io.pylon.server.auth;

import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.Authenticator;
import io.pylon.mqtt.spi.ConnectRequest;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.spi.TransportInfo;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Authenticates a CONNECT from what the transport proved: a client certificate that TLS verified
 * against a trusted CA, or a signed WebSocket upgrade; anonymous clients only on listeners that
 * allow them (plain MQTT bound to loopback).
 *
 * <p>With a certificate check (the identity service: registered and ACTIVE), a certificate is
 * checked again here, off the event loop, because its status may have changed since the handshake;
 * a refusal is CONNACK "not authorized".
 */
public final class TransportAuthenticator implements Authenticator {

  private final Set<String> anonymousListeners;
  private final Function<X509Certificate, Optional<String>> certificateRefusal;
  private final Executor checks;

  /** Accepts every certificate TLS verified. */
  public TransportAuthenticator(Set<String> anonymousListeners) {
    this(anonymousListeners, certificate -> Optional.empty(), Runnable::run);
  }

  /**
   * @param certificateRefusal why a client certificate may not connect, empty when it may; may
   *     block
   * @param checks where {@code certificateRefusal} runs
   */
  public TransportAuthenticator(
      Set<String> anonymousListeners,
      Function<X509Certificate, Optional<String>> certificateRefusal,
      Executor checks) {
    this.anonymousListeners = Set.copyOf(anonymousListeners);
    this.certificateRefusal = certificateRefusal;
    this.checks = checks;
  }

  @Override
  public CompletionStage<AuthResult> authenticate(ConnectRequest request) {
    TransportInfo transport = request.transport();
    if (transport.transportPrincipal() == null && !transport.peerCertificates().isEmpty()) {
      X509Certificate leaf = transport.peerCertificates().get(0);
      return CompletableFuture.supplyAsync(
          () ->
              certificateRefusal
                  .apply(leaf)
                  .map(reason -> AuthResult.deny(AuthResult.NOT_AUTHORIZED, reason))
                  .orElseGet(() -> AuthResult.allow(CertificatePrincipal.of(leaf))),
          checks);
    }
    return CompletableFuture.completedFuture(decide(transport));
  }

  private AuthResult decide(TransportInfo transport) {
    if (transport.transportPrincipal() != null) {
      return AuthResult.allow(transport.transportPrincipal());
    }
    if (anonymousListeners.contains(transport.listener()) && transport.loopbackOnly()) {
      return AuthResult.allow(Principal.ANONYMOUS);
    }
    return AuthResult.deny(AuthResult.NOT_AUTHORIZED, "a client certificate is required");
  }
}
