package io.pylon.server.auth;

import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.ConnectRequest;
import java.security.cert.X509Certificate;

/**
 * Whether a device whose certificate TLS verified may connect, and the principal it connects as.
 * Runs off the event loop and may block on storage.
 */
@FunctionalInterface
public interface DeviceAdmission {

  AuthResult admit(X509Certificate certificate, ConnectRequest request);

  /** Admits every verified certificate as a plain {@link CertificatePrincipal}. */
  DeviceAdmission ANY =
      (certificate, request) -> AuthResult.allow(CertificatePrincipal.of(certificate));
}
