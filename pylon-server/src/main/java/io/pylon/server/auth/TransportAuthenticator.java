package io.pylon.server.auth;

import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.Authenticator;
import io.pylon.mqtt.spi.ConnectRequest;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.spi.TransportInfo;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Authenticates a CONNECT from what the transport proved: a client certificate that TLS verified
 * against a trusted CA, or a signed WebSocket upgrade; anonymous clients only on listeners that
 * allow them (plain MQTT bound to loopback).
 *
 * <p>A device's certificate goes through a {@link DeviceAdmission} off the event loop: the server's
 * checks that it is still registered and ACTIVE (its status may have changed since the handshake)
 * and loads its policies; a refusal is CONNACK "not authorized".
 */
public final class TransportAuthenticator implements Authenticator {

  private final Set<String> anonymousListeners;
  private final DeviceAdmission admission;
  private final Executor checks;

  /** Accepts every certificate TLS verified. */
  public TransportAuthenticator(Set<String> anonymousListeners) {
    this(anonymousListeners, DeviceAdmission.ANY, Runnable::run);
  }

  /**
   * @param admission whether a device with a verified certificate may connect, and as whom; may
   *     block
   * @param checks where {@code admission} runs
   */
  public TransportAuthenticator(
      Set<String> anonymousListeners, DeviceAdmission admission, Executor checks) {
    this.anonymousListeners = Set.copyOf(anonymousListeners);
    this.admission = admission;
    this.checks = checks;
  }

  @Override
  public CompletionStage<AuthResult> authenticate(ConnectRequest request) {
    TransportInfo transport = request.transport();
    if (transport.transportPrincipal() == null && !transport.peerCertificates().isEmpty()) {
      X509Certificate leaf = transport.peerCertificates().get(0);
      return CompletableFuture.supplyAsync(() -> admission.admit(leaf, request), checks);
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
