package io.pylon.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.ConnectRequest;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.spi.TransportInfo;
import io.pylon.server.pki.CertificateAuthority;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransportAuthenticatorTest {

  private static final X509Certificate DEVICE =
      CertificateAuthority.createRoot("Auth Test CA", Duration.ofDays(1))
          .issueClientCertificate("device", Duration.ofDays(1))
          .certificate();

  @Test
  void certificateTheAdmissionRefuses_isNotAuthorizedWithTheReason() throws Exception {
    var checks = Executors.newSingleThreadExecutor();
    try {
      TransportAuthenticator authenticator =
          new TransportAuthenticator(
              Set.of(),
              (c, request) ->
                  AuthResult.deny(AuthResult.NOT_AUTHORIZED, "certificate x is REVOKED"),
              checks);

      AuthResult result = authenticate(authenticator, transport(List.of(DEVICE), null, false));

      assertThat(result.allowed()).isFalse();
      assertThat(result.reasonCode()).isEqualTo(AuthResult.NOT_AUTHORIZED);
      assertThat(result.reason()).isEqualTo("certificate x is REVOKED");
    } finally {
      checks.shutdownNow();
    }
  }

  @Test
  void certificateTheAdmissionAccepts_isItsPrincipal() throws Exception {
    TransportAuthenticator authenticator =
        new TransportAuthenticator(Set.of(), DeviceAdmission.ANY, Runnable::run);

    AuthResult result = authenticate(authenticator, transport(List.of(DEVICE), null, false));

    assertThat(result.principal())
        .isEqualTo(CertificatePrincipal.of(DEVICE))
        .extracting(Principal::name)
        .isEqualTo(CertificatePrincipal.certificateId(DEVICE));
  }

  @Test
  void signedUpgrade_winsWithoutConsultingTheCheck_andAnonymousOnlyOnLoopbackListeners()
      throws Exception {
    Principal signed = () -> "admin/AKID";
    TransportAuthenticator authenticator =
        new TransportAuthenticator(
            Set.of("mqtt"),
            (c, request) -> {
              throw new AssertionError("not a certificate connection");
            },
            Runnable::run);

    assertThat(authenticate(authenticator, transport(List.of(), signed, false)).principal())
        .isSameAs(signed);
    assertThat(authenticate(authenticator, transport(List.of(), null, true)).principal())
        .isSameAs(Principal.ANONYMOUS);
    assertThat(authenticate(authenticator, transport(List.of(), null, false)).allowed()).isFalse();
  }

  private static AuthResult authenticate(TransportAuthenticator authenticator, TransportInfo t)
      throws Exception {
    return authenticator
        .authenticate(new ConnectRequest("client-1", null, null, 5, t))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  private static TransportInfo transport(
      List<X509Certificate> certificates, Principal transportPrincipal, boolean loopback) {
    return new TransportInfo(
        "mqtt",
        Profile.MQTT,
        new InetSocketAddress("127.0.0.1", 5000),
        certificates,
        null,
        null,
        false,
        loopback,
        transportPrincipal);
  }
}
