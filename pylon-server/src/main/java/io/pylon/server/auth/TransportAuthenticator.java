package io.pylon.server.auth;

import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.Authenticator;
import io.pylon.mqtt.spi.ConnectRequest;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.spi.TransportInfo;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Authenticates a CONNECT from what the transport proved: a client certificate that TLS verified
 * against a trusted CA, or a signed WebSocket upgrade; anonymous clients only on listeners that
 * allow them (plain MQTT bound to loopback).
 *
 * <p>This is the whole of authentication until certificates are registered in the identity service;
 * then a certificate must also be registered and ACTIVE.
 */
public final class TransportAuthenticator implements Authenticator {

  private final Set<String> anonymousListeners;

  public TransportAuthenticator(Set<String> anonymousListeners) {
    this.anonymousListeners = Set.copyOf(anonymousListeners);
  }

  @Override
  public CompletionStage<AuthResult> authenticate(ConnectRequest request) {
    return CompletableFuture.completedFuture(decide(request.transport()));
  }

  private AuthResult decide(TransportInfo transport) {
    if (transport.transportPrincipal() != null) {
      return AuthResult.allow(transport.transportPrincipal());
    }
    if (!transport.peerCertificates().isEmpty()) {
      return AuthResult.allow(CertificatePrincipal.of(transport.peerCertificates().get(0)));
    }
    if (anonymousListeners.contains(transport.listener()) && transport.loopbackOnly()) {
      return AuthResult.allow(Principal.ANONYMOUS);
    }
    return AuthResult.deny(AuthResult.NOT_AUTHORIZED, "a client certificate is required");
  }
}
