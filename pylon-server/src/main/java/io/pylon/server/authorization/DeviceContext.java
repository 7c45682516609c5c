package io.pylon.server.authorization;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What a device's policies are bound to: who it is and how it connected.
 *
 * @param certificateId the certificate id
 * @param certificateArn the certificate's ARN, the target policies are attached to
 * @param certificate the client certificate, for the {@code iot:Certificate.*} variables
 * @param clientId the MQTT client id, {@code iot:ClientId}
 * @param sourceIp the peer's address, {@code aws:SourceIp}, when known
 */
public record DeviceContext(
    String certificateId,
    String certificateArn,
    X509Certificate certificate,
    String clientId,
    Optional<String> sourceIp) {}
