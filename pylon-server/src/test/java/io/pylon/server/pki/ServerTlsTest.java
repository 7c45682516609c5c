package io.pylon.server.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {

  private static final String MQTT = ServerTls.MQTT_ALPN;
  private static final String HTTP = ServerTls.HTTP_1_1;

  @TempDir static java.nio.file.Path tmp;

  private static DataDirectory data;
  private static ServerTls tls;
  private static X509Certificate rootCa;
  private static IssuedCertificate device;
  private static IssuedCertificate foreignDevice;

  @BeforeAll
  static void setUp() throws Exception {
    data = DataDirectory.open(tmp.resolve("data"), List.of());
    tls = ServerTls.forDataDirectory(data);
    rootCa = data.rootCa().certificate();
    device = data.rootCa().issueClientCertificate("device-1", Duration.ofDays(1));
    foreignDevice =
        CertificateAuthority.createRoot("Foreign CA", Duration.ofDays(1))
            .issueClientCertificate("intruder", Duration.ofDays(1));
  }

  @AfterAll
  static void tearDown() {
    data.close();
  }

  @Test
  void deviceWithCertificateFromTheRootCaConnectsAndNegotiatesMqtt() throws Exception {
    try (TlsTestServer server = new TlsTestServer(tls.deviceContext())) {
      TlsTestClient.Result client =
          TlsTestClient.connect(server.address(), rootCa, device, List.of(MQTT));
      TlsTestServer.Outcome outcome = server.nextOutcome();

      assertThat(client.failure()).isNull();
      assertThat(client.protocol()).contains(MQTT);
      assertThat(outcome.protocol()).contains(MQTT);
      assertThat(outcome.clientCertificate()).contains(device.certificate());
    }
  }

  @Test
  void deviceWithoutAlpnOrWithUnknownAlpnStillConnects() throws Exception {
    try (TlsTestServer server = new TlsTestServer(tls.deviceContext())) {
      for (List<String> alpn : List.of(List.<String>of(), List.of("h2", "mqtt"))) {
        TlsTestClient.Result client = TlsTestClient.connect(server.address(), rootCa, device, alpn);
        TlsTestServer.Outcome outcome = server.nextOutcome();

        assertThat(client.failure()).as("client offering %s", alpn).isNull();
        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.protocol()).as("no protocol agreed for %s", alpn).isEmpty();
        assertThat(client.protocol()).isEmpty();
      }
    }
  }

  @Test
  void deviceWithoutCertificateIsRejected() throws Exception {
    try (TlsTestServer server = new TlsTestServer(tls.deviceContext())) {
      TlsTestClient.Result client =
          TlsTestClient.connect(server.address(), rootCa, null, List.of(MQTT));

      assertThat(server.nextOutcome().succeeded()).isFalse();
      assertThat(client.succeeded()).isFalse();
    }
  }

  @Test
  void deviceWithCertificateFromAForeignCaIsRejected() throws Exception {
    try (TlsTestServer server = new TlsTestServer(tls.deviceContext())) {
      TlsTestClient.Result client =
          TlsTestClient.connect(server.address(), rootCa, foreignDevice, List.of(MQTT));

      assertThat(server.nextOutcome().failure()).hasStackTraceContaining("PKIX path");
      assertThat(client.succeeded()).isFalse();
    }
  }

  @Test
  void httpsAcceptsClientsWithoutCertificateAndFallsBackWithoutAlpn() throws Exception {
    try (TlsTestServer server = new TlsTestServer(tls.httpsContext())) {
      TlsTestClient.Result client =
          TlsTestClient.connect(server.address(), rootCa, null, List.of());
      TlsTestServer.Outcome outcome = server.nextOutcome();

      assertThat(client.failure()).isNull();
      assertThat(outcome.protocol()).isEmpty(); // the listener's fallback, HTTP/1.1, applies
      assertThat(outcome.clientCertificate()).isEmpty();
    }
  }

  @Test
  void httpsNegotiatesMqttFirstThenHttp() throws Exception {
    try (TlsTestServer server = new TlsTestServer(tls.httpsContext())) {
      assertThat(negotiate(server, null, List.of(HTTP))).isEqualTo(HTTP);
      assertThat(negotiate(server, device, List.of(MQTT))).isEqualTo(MQTT);
      assertThat(negotiate(server, device, List.of(HTTP, MQTT))).isEqualTo(MQTT);
      assertThat(negotiate(server, null, List.of("h2", HTTP))).isEqualTo(HTTP);
      assertThat(negotiate(server, null, List.of("h2"))).isNull();
    }
  }

  @Test
  void httpsPassesOnATrustedClientCertificateAndRejectsAForeignOne() throws Exception {
    try (TlsTestServer server = new TlsTestServer(tls.httpsContext())) {
      TlsTestClient.connect(server.address(), rootCa, device, List.of(MQTT));
      assertThat(server.nextOutcome().clientCertificate()).contains(device.certificate());

      TlsTestClient.Result client =
          TlsTestClient.connect(server.address(), rootCa, foreignDevice, List.of(MQTT));
      assertThat(server.nextOutcome().succeeded()).isFalse();
      assertThat(client.succeeded()).isFalse();
    }
  }

  @Test
  void onlyTls12And13AreEnabled() {
    for (SslContext context : List.of(tls.deviceContext(), tls.httpsContext())) {
      SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
      assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }
    assertThat(tls.deviceContext().newEngine(ByteBufAllocator.DEFAULT).getNeedClientAuth())
        .isTrue();
    assertThat(tls.httpsContext().newEngine(ByteBufAllocator.DEFAULT).getWantClientAuth()).isTrue();
  }

  @Test
  void trustFollowsTheTrustSourceWithoutRebuildingContexts() throws Exception {
    CertificateAuthority registered =
        CertificateAuthority.createRoot("Registered CA", Duration.ofDays(1));
    IssuedCertificate registeredDevice =
        registered.issueClientCertificate("device-2", Duration.ofDays(1));
    AtomicReference<List<X509Certificate>> registeredCas = new AtomicReference<>(List.of());
    ServerTls dynamic = ServerTls.forDataDirectory(data, registeredCas::get);

    try (TlsTestServer server = new TlsTestServer(dynamic.deviceContext())) {
      TlsTestClient.connect(server.address(), rootCa, registeredDevice, List.of());
      assertThat(server.nextOutcome().succeeded()).as("before registration").isFalse();

      registeredCas.set(List.of(registered.certificate()));
      TlsTestClient.Result client =
          TlsTestClient.connect(server.address(), rootCa, registeredDevice, List.of());
      assertThat(server.nextOutcome().succeeded()).as("after registration").isTrue();
      assertThat(client.failure()).isNull();

      TlsTestClient.connect(server.address(), rootCa, device, List.of());
      assertThat(server.nextOutcome().succeeded()).as("root CA still trusted").isTrue();

      registeredCas.set(List.of());
      TlsTestClient.connect(server.address(), rootCa, registeredDevice, List.of());
      assertThat(server.nextOutcome().succeeded()).as("after deregistration").isFalse();
    }
  }

  private static String negotiate(TlsTestServer server, IssuedCertificate cert, List<String> alpn)
      throws Exception {
    TlsTestClient.Result client = TlsTestClient.connect(server.address(), rootCa, cert, alpn);
    TlsTestServer.Outcome outcome = server.nextOutcome();
    assertThat(client.failure()).as("client offering %s", alpn).isNull();
    assertThat(outcome.protocol()).isEqualTo(client.protocol());
    return outcome.protocol().orElse(null);
  }
}
