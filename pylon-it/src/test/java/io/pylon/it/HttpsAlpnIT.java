package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.HTTPS;
import static io.pylon.it.harness.PylonServerExtension.MQTTS;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.Device;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RawMqtt;
import io.pylon.it.harness.RoundTrip;
import io.pylon.it.harness.Tls;
import io.pylon.server.PylonServer;
import io.pylon.server.config.ConfigLoader;
import io.pylon.server.config.PylonConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener (AWS port 443/8443): TLS with ALPN, {@code x-amzn-mqtt-ca} selects raw MQTT,
 * anything else is HTTP/1.1 (metrics, REST, MQTT over WebSocket). Client certificates are optional
 * at the TLS level here, so MQTT without one must be refused by MQTT authentication.
 */
class HttpsAlpnIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static Device device;
  private static HttpClient http;

  @BeforeAll
  static void setUp() {
    device = pylon.device("https-device");
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(Tls.context(pylon.caFile(), null))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  static void tearDown() {
    http = null; // java.net.http.HttpClient of JDK 17 has no close(); its threads are daemons
  }

  @Test
  void alpnMqttWithClientCertificateSpeaksMqtt311() throws Exception {
    try (SSLSocket socket =
        Tls.connect(device.sslContext(), pylon.port(HTTPS), List.of(), List.of(Tls.MQTT_ALPN))) {
      assertThat(socket.getApplicationProtocol()).isEqualTo(Tls.MQTT_ALPN);
      socket.getOutputStream().write(RawMqtt.connectV311(clientId("alpn311")));
      RawMqtt.Packet connAck = RawMqtt.read(socket.getInputStream());
      assertThat(connAck.bytes()).containsExactly(0x20, 0x02, 0x00, 0x00);
      socket.getOutputStream().write(RawMqtt.disconnect());
    }
  }

  @Test
  void alpnMqttWithClientCertificateSpeaksMqtt5() throws Exception {
    try (SSLSocket socket =
        Tls.connect(device.sslContext(), pylon.port(HTTPS), List.of(), List.of(Tls.MQTT_ALPN))) {
      socket.getOutputStream().write(RawMqtt.connectV5(clientId("alpn5")));
      RawMqtt.Packet connAck = RawMqtt.read(socket.getInputStream());
      assertThat(connAck.type()).isEqualTo(2);
      assertThat(connAck.body()[0]).as("session present").isEqualTo((byte) 0);
      assertThat(connAck.body()[1]).as("reason code").isEqualTo((byte) 0x00);
      socket.getOutputStream().write(RawMqtt.disconnect());
    }
  }

  @Test
  void alpnMqttWithoutClientCertificateGetsConnackNotAuthorizedThenClose() throws Exception {
    // TLS lets the client in (the certificate is optional on this port, for browsers and SDKs);
    // MQTT authentication then refuses: CONNACK return code 5 (not authorized) and close.
    try (SSLSocket socket =
        Tls.connect(
            Tls.context(pylon.caFile(), null),
            pylon.port(HTTPS),
            List.of(),
            List.of(Tls.MQTT_ALPN))) {
      assertThat(socket.getApplicationProtocol()).isEqualTo(Tls.MQTT_ALPN);
      socket.getOutputStream().write(RawMqtt.connectV311(clientId("alpn-anonymous")));
      InputStream in = socket.getInputStream();
      assertThat(RawMqtt.read(in).bytes()).containsExactly(0x20, 0x02, 0x00, 0x05);
      assertThat(in.read()).as("the server closes the connection after the refusal").isEqualTo(-1);
    }
  }

  @Test
  void alpnMqtt5WithoutClientCertificateGetsReasonNotAuthorized() throws Exception {
    try (SSLSocket socket =
        Tls.connect(
            Tls.context(pylon.caFile(), null),
            pylon.port(HTTPS),
            List.of(),
            List.of(Tls.MQTT_ALPN))) {
      socket.getOutputStream().write(RawMqtt.connectV5(clientId("alpn5-anonymous")));
      InputStream in = socket.getInputStream();
      RawMqtt.Packet connAck = RawMqtt.read(in);
      assertThat(connAck.type()).isEqualTo(2);
      assertThat(connAck.body()[1] & 0xFF).as("reason code 0x87 not authorized").isEqualTo(0x87);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void withoutAlpnTheHttpsPortDoesNotSpeakMqtt() throws Exception {
    // HiveMQ offers no ALPN, so the listener falls back to HTTP/1.1, which refuses a CONNECT.
    Mqtt5AsyncClient noAlpn =
        Clients.hive5Tls(clientId("no-alpn"), pylon.port(HTTPS), device, List.of());
    assertThat(noAlpn.connect().handle((ack, error) -> error).get(15, TimeUnit.SECONDS))
        .as("without ALPN the https port speaks HTTP, so an MQTT CONNECT must not succeed")
        .isNotNull();
  }

  @Test
  void metricsAreServedInPrometheusTextFormat() throws Exception {
    // The connection gauge is registered per listener on first use: keep a device connected.
    Mqtt5AsyncClient client =
        Clients.hive5Tls(clientId("metrics"), pylon.port(MQTTS), device, List.of());
    try {
      client.connect().get(10, TimeUnit.SECONDS);
      client
          .publishWith()
          .topic("metrics/test")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(RoundTrip.payload("x"))
          .send()
          .get(10, TimeUnit.SECONDS);

      HttpResponse<String> response = get("/metrics");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type"))
          .hasValueSatisfying(
              type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
      String body = response.body();
      assertThat(body)
          .contains("# TYPE pylon_mqtt_connections gauge")
          .contains("# TYPE pylon_mqtt_messages_in_total counter");
      assertThat(sample(body, "pylon_mqtt_connections", "listener=\"mqtts\""))
          .isGreaterThanOrEqualTo(1);
      assertThat(sample(body, "pylon_mqtt_messages_in_total", "qos=\"1\""))
          .isGreaterThanOrEqualTo(1);
    } finally {
      RoundTrip.disconnectQuietly(client);
    }
  }

  @Test
  void metricsOfAFreshServerAlreadyShowEveryListenerAndCounter(@TempDir Path tmp) throws Exception {
    // Prometheus practice: series with known labels exist from the start (at 0), so that dashboards
    // and rate() see "no connections" rather than "no data".
    PylonConfig config =
        ConfigLoader.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "data-dir",
                tmp.toString(),
                "listeners.mqtts.port",
                "0",
                "listeners.https.port",
                "0",
                "listeners.mqtt.port",
                "0"));
    try (PylonServer fresh = PylonServer.start(config)) {
      HttpClient trustingFresh =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(Tls.context(fresh.caFile(), null))
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      HttpResponse<String> response =
          trustingFresh.send(
              HttpRequest.newBuilder(
                      URI.create("https://127.0.0.1:" + fresh.port(HTTPS) + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      String body = response.body();
      for (String qos : List.of("0", "1", "2")) {
        assertThat(sample(body, "pylon_mqtt_messages_in_total", "qos=\"" + qos + "\"")).isZero();
      }
      for (String listener : List.of("mqtts", "https", "mqtt")) {
        assertThat(sample(body, "pylon_mqtt_connections", "listener=\"" + listener + "\""))
            .isZero();
      }
    }
  }

  @Test
  void metricsOverExplicitHttp11Alpn() throws Exception {
    try (SSLSocket socket =
        Tls.connect(
            Tls.context(pylon.caFile(), null), pylon.port(HTTPS), List.of(), List.of("http/1.1"))) {
      assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
      socket
          .getOutputStream()
          .write(
              ("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response)
          .startsWith("HTTP/1.1 200 OK\r\n")
          .contains("pylon_mqtt_messages_in_total");
    }
  }

  @Test
  void unknownPathIsAnAwsShaped404() throws Exception {
    HttpResponse<String> response = get("/no/such/operation");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnknownOperationException");
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.body())
        .startsWith("{")
        .endsWith("}")
        .contains("\"message\"")
        .contains("/no/such/operation");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + pylon.port(HTTPS) + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the sample of {@code metric} whose labels contain {@code label}. */
  static double sample(String exposition, String metric, String label) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(metric + "{") && line.contains(label)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError(
        "no sample "
            + metric
            + "{"
            + label
            + "} among the pylon_ samples:\n"
            + String.join("\n", exposition.lines().filter(l -> l.startsWith("pylon_")).toList()));
  }
}
