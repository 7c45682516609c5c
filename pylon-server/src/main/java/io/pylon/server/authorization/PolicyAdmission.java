package io.pylon.server.authorization;

import io.pylon.domain.AwsAccount;
import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.ConnectRequest;
import io.pylon.server.auth.CertificatePrincipal;
import io.pylon.server.auth.DeviceAdmission;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Function;

/**
 * Admits a device whose certificate is registered and ACTIVE, with its policies loaded: the
 * principal it connects as carries them to {@link PolicyAuthorizer}.
 */
public final class PolicyAdmission implements DeviceAdmission {

  private final AwsAccount account;
  private final Function<X509Certificate, Optional<String>> refusal;
  private final LivePolicies livePolicies;

  /**
   * @param refusal why a certificate may not connect (not registered, not ACTIVE), empty if it may
   */
  public PolicyAdmission(
      AwsAccount account,
      Function<X509Certificate, Optional<String>> refusal,
      LivePolicies livePolicies) {
    this.account = account;
    this.refusal = refusal;
    this.livePolicies = livePolicies;
  }

  @Override
  public AuthResult admit(X509Certificate certificate, ConnectRequest request) {
    Optional<String> refused = refusal.apply(certificate);
    if (refused.isPresent()) {
      return AuthResult.deny(AuthResult.NOT_AUTHORIZED, refused.get());
    }
    String certificateId = CertificatePrincipal.certificateId(certificate);
    DeviceContext device =
        new DeviceContext(
            certificateId,
            account.arn("cert", certificateId),
            certificate,
            request.clientId(),
            sourceIp(request.transport().remoteAddress()));
    return AuthResult.allow(new PolicedDevice(certificateId, livePolicies.admit(device)));
  }

  private static Optional<String> sourceIp(SocketAddress address) {
    if (address instanceof InetSocketAddress) {
      InetSocketAddress inet = (InetSocketAddress) address;
      if (inet.getAddress() != null) {
        return Optional.of(inet.getAddress().getHostAddress());
      }
    }
    return Optional.empty();
  }
}
