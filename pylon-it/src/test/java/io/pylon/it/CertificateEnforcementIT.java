package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.HTTPS;
import static io.pylon.it.harness.PylonServerExtension.MQTTS;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.pylon.domain.identity.CaCertificate;
import io.pylon.domain.identity.CaCertificateService;
import io.pylon.domain.identity.CaCertificateStatus;
import io.pylon.domain.identity.Certificate;
import io.pylon.domain.identity.CertificateMode;
import io.pylon.domain.identity.CertificateStatus;
import io.pylon.domain.identity.RegistrationConfig;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.Device;
import io.pylon.it.harness.ForeignCa;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.Tls;
import io.pylon.server.pki.Pem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AWS IoT's rule that a device connects only with a registered, ACTIVE certificate whose CA (if it
 * was registered with one) is ACTIVE: refused in the TLS handshake otherwise, as AWS does, and
 * disconnected when the certificate or its CA stops being ACTIVE.
 */
class CertificateEnforcementIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void unregisteredCertificate_isRefusedInTheHandshake(String protocol) {
    Device device = pylon.unregisteredDevice("unregistered-" + protocol);

    TlsListenerIT.assertRefusedByTls(
        TlsListenerIT.refusal(device.sslContext(), pylon.port(MQTTS), protocol));
  }

  @Test
  void unregisteredCertificate_isRefusedOnTheHttpsPortWithMqttAlpn() {
    Device device = pylon.unregisteredDevice("unregistered-alpn");

    Throwable failure =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> {
              try (var socket =
                  Tls.connect(
                      device.sslContext(),
                      pylon.port(HTTPS),
                      List.of("TLSv1.2"),
                      List.of(Tls.MQTT_ALPN))) {
                socket.getInputStream().read();
              }
            });
    TlsListenerIT.assertRefusedByTls(failure);
  }

  @Test
  void inactiveCertificate_cannotConnect() {
    Device device = pylon.unregisteredDevice("inactive");
    register(device, CertificateStatus.INACTIVE);

    assertCannotConnect(device);
  }

  @Test
  void registeringThenConnecting_works() throws Exception {
    Device device = pylon.unregisteredDevice("late");
    assertCannotConnect(device);

    register(device, CertificateStatus.ACTIVE);

    assertConnects(device);
  }

  @Test
  void revokingAConnectedDevicesCertificate_disconnectsItWithinSeconds() throws Exception {
    Device device = pylon.unregisteredDevice("revoked");
    Certificate certificate = register(device, CertificateStatus.ACTIVE);
    Mqtt5AsyncClient client =
        Clients.hive5Tls(clientId("revoked"), pylon.port(MQTTS), device, List.of());
    client.connect().get(10, TimeUnit.SECONDS);
    assertThat(client.getState().isConnected()).isTrue();

    pylon.server().certificates().updateCertificate(certificate.id(), CertificateStatus.REVOKED);

    await().atMost(Duration.ofSeconds(5)).until(() -> !client.getState().isConnected());
    assertCannotConnect(device);
  }

  @Test
  void foreignCaCertificate_connectsOnlyWhileItsCaIsRegisteredAndActive() throws Exception {
    ForeignCa foreign = new ForeignCa("Fleet CA " + System.nanoTime());
    Device device = foreign.issueDevice("fleet-device", pylon.caFile(), pylon.scratch("fleet"));
    Device cannotRegister = device;
    assertThatThrownBy(() -> register(cannotRegister, CertificateStatus.ACTIVE))
        .hasMessageContaining("not signed by a registered CA");

    CaCertificateService cas = pylon.server().caCertificates();
    Device verification =
        foreign.issueDevice(cas.getRegistrationCode(), pylon.caFile(), pylon.scratch("verify"));
    CaCertificate ca =
        cas.registerCaCertificate(
            new CaCertificateService.Registration(
                Pem.certificate(foreign.certificate()),
                Optional.of(Pem.certificate(verification.certificate())),
                true,
                false,
                RegistrationConfig.NONE,
                Optional.empty()));
    Certificate registered = register(device, CertificateStatus.ACTIVE);
    assertThat(registered.caCertificateId()).contains(ca.id());

    Mqtt5AsyncClient client =
        Clients.hive5Tls(clientId("fleet"), pylon.port(MQTTS), device, List.of());
    client.connect().get(10, TimeUnit.SECONDS);

    cas.updateCaCertificate(
        ca.id(),
        Optional.of(CaCertificateStatus.INACTIVE),
        Optional.empty(),
        Optional.empty(),
        false);
    await().atMost(Duration.ofSeconds(5)).until(() -> !client.getState().isConnected());
    assertCannotConnect(device);

    cas.updateCaCertificate(
        ca.id(),
        Optional.of(CaCertificateStatus.ACTIVE),
        Optional.empty(),
        Optional.empty(),
        false);
    assertConnects(device);
  }

  @Test
  void selfSignedCertificateRegisteredWithoutCa_connects() throws Exception {
    Device device = selfSigned("lonely-device");
    assertCannotConnect(device);

    Certificate registered =
        pylon
            .server()
            .certificates()
            .registerCertificateWithoutCa(
                Pem.certificate(device.certificate()), Optional.of(CertificateStatus.ACTIVE));
    assertThat(registered.mode()).isEqualTo(CertificateMode.SNI_ONLY);
    pylon.allowAll(device);

    assertConnects(device);
  }

  /** Registers a device's certificate and lets it do anything once it may connect at all. */
  private static Certificate register(Device device, CertificateStatus status) {
    Certificate registered =
        pylon
            .server()
            .certificates()
            .registerCertificate(
                Pem.certificate(device.certificate()),
                Optional.empty(),
                Optional.of(status),
                false);
    pylon.allowAll(device);
    return registered;
  }

  private static void assertConnects(Device device) throws Exception {
    Mqtt5AsyncClient client =
        Clients.hive5Tls(clientId(device.name()), pylon.port(MQTTS), device, List.of());
    client.connect().get(10, TimeUnit.SECONDS);
    assertThat(client.getState().isConnected()).isTrue();
    client.disconnect().get(10, TimeUnit.SECONDS);
  }

  private static void assertCannotConnect(Device device) {
    Mqtt5AsyncClient client =
        Clients.hive5Tls(clientId(device.name()), pylon.port(MQTTS), device, List.of());
    assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThat(client.getState().isConnected()).isFalse();
  }

  private static Device selfSigned(String name) {
    return Device.selfSigned(name, pylon.caFile(), pylon.scratch("self-signed"));
  }
}
