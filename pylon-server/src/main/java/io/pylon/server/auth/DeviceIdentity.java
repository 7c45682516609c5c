package io.pylon.server.auth;

import io.pylon.mqtt.spi.Principal;

/**
 * A principal that is a device with a client certificate, whatever else it carries; revocation and
 * policies find a device's connections by its certificate id.
 */
public interface DeviceIdentity extends Principal {

  /** The certificate id: lower-case hex SHA-256 of the certificate's DER encoding. */
  String certificateId();

  @Override
  default String name() {
    return certificateId();
  }
}
