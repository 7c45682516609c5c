package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.HTTPS;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.pylon.http.sigv4.AwsCredentials;
import io.pylon.http.sigv4.SigV4Signer;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RawHttp;
import io.pylon.it.harness.RawMqtt;
import io.pylon.it.harness.RoundTrip;
import io.pylon.it.harness.Tls;
import io.pylon.server.credentials.AdminCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT over WebSocket at {@code wss://127.0.0.1:<https>/mqtt}, subprotocol {@code mqtt}. As on AWS,
 * the upgrade request must be SigV4-presigned (service {@code iotdevicegateway}); anything else is
 * refused with 403 before the WebSocket handshake.
 *
 * <p>The URLs are presigned with Pylon's own {@link SigV4Signer} and the admin credentials of the
 * data directory. {@code AwsDeviceSdkIT} signs independently, with the AWS CRT.
 */
class WebSocketIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  @Test
  void unsignedUpgradeIsRefusedWith403() throws Exception {
    try (SSLSocket socket =
        Tls.connect(Tls.context(pylon.caFile(), null), pylon.port(HTTPS), List.of(), List.of())) {
      RawHttp.Response response =
          RawHttp.exchange(
              socket, RawHttp.webSocketUpgrade("127.0.0.1", pylon.port(HTTPS), "/mqtt"));

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("upgrade")).isEmpty();
      // AWS's wire code and message for a request without any signature.
      assertThat(response.header("x-amzn-ErrorType"))
          .hasValue("MissingAuthenticationTokenException");
      assertThat(response.header("content-type")).hasValue("application/json");
      assertThat(response.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
    }
  }

  @Test
  void upgradeWithAForgedSignatureIsRefusedWith403() throws Exception {
    String forged =
        "/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential="
            + pylon.server().credentials().accessKeyId()
            + "%2F20240101%2Fus-east-1%2Fiotdevicegateway%2Faws4_request"
            + "&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature="
            + "0".repeat(64);
    try (SSLSocket socket =
        Tls.connect(Tls.context(pylon.caFile(), null), pylon.port(HTTPS), List.of(), List.of())) {
      RawHttp.Response response =
          RawHttp.exchange(
              socket, RawHttp.webSocketUpgrade("127.0.0.1", pylon.port(HTTPS), forged));

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
    }
  }

  @Test
  void presignedUrlWithAWrongSecretIsRefused() throws Exception {
    AdminCredentials admin = pylon.server().credentials();
    String url =
        new SigV4Signer()
            .presignWebSocketUrl(
                "127.0.0.1:" + pylon.port(HTTPS),
                "/mqtt",
                pylon.server().config().aws().region(),
                "iotdevicegateway",
                new AwsCredentials(admin.accessKeyId(), wrongSecret(admin.secretAccessKey())),
                Instant.now(),
                null);
    URI uri = URI.create(url);
    try (SSLSocket socket =
        Tls.connect(Tls.context(pylon.caFile(), null), pylon.port(HTTPS), List.of(), List.of())) {
      RawHttp.Response response =
          RawHttp.exchange(
              socket,
              RawHttp.webSocketUpgrade(
                  "127.0.0.1", pylon.port(HTTPS), uri.getRawPath() + "?" + uri.getRawQuery()));
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
    }
  }

  /** The secret with its first character changed: a different secret whatever it starts with. */
  static String wrongSecret(String secret) {
    char replacement = secret.charAt(0) == 'x' ? 'y' : 'x';
    return replacement + secret.substring(1);
  }

  /** {@code /mqtt?X-Amz-...}: the presigned request target for the https listener on 127.0.0.1. */
  static String presignedTarget(Duration expires) {
    AdminCredentials admin = pylon.server().credentials();
    String host = "127.0.0.1:" + pylon.port(HTTPS);
    String url =
        new SigV4Signer()
            .presignWebSocketUrl(
                host,
                "/mqtt",
                pylon.server().config().aws().region(),
                "iotdevicegateway",
                new AwsCredentials(admin.accessKeyId(), admin.secretAccessKey()),
                Instant.now(),
                expires);
    URI uri = URI.create(url);
    assertThat(uri.getScheme()).isEqualTo("wss");
    assertThat(uri.getRawPath()).isEqualTo("/mqtt");
    return uri.getRawPath() + "?" + uri.getRawQuery();
  }

  @Test
  void presignedUpgradeSwitchesProtocolsAndCarriesMqtt() throws Exception {
    try (SSLSocket socket =
        Tls.connect(Tls.context(pylon.caFile(), null), pylon.port(HTTPS), List.of(), List.of())) {
      RawHttp.Response response =
          RawHttp.exchange(
              socket,
              RawHttp.webSocketUpgrade("127.0.0.1", pylon.port(HTTPS), presignedTarget(null)));

      assertThat(response.status())
          .as(response.statusLine() + " " + response.body())
          .isEqualTo(101);
      assertThat(response.header("sec-websocket-protocol")).hasValue("mqtt");
      writeBinaryFrame(socket.getOutputStream(), RawMqtt.connectV311(clientId("ws-raw")));
      byte[] connAck = readBinaryFrame(socket.getInputStream());
      assertThat(connAck).containsExactly(0x20, 0x02, 0x00, 0x00);
      writeBinaryFrame(socket.getOutputStream(), RawMqtt.disconnect());
    }
  }

  @Test
  void hiveMqWithPresignedUrlPublishesAndSubscribes() throws Exception {
    RoundTrip.hive5(webSocketClient("ws-sub"), webSocketClient("ws-pub"), "ws/hive5");
  }

  @Test
  void presignedUrlFromYesterdayIsRefused() throws Exception {
    AdminCredentials admin = pylon.server().credentials();
    String url =
        new SigV4Signer()
            .presignWebSocketUrl(
                "127.0.0.1:" + pylon.port(HTTPS),
                "/mqtt",
                pylon.server().config().aws().region(),
                "iotdevicegateway",
                new AwsCredentials(admin.accessKeyId(), admin.secretAccessKey()),
                Instant.now().minus(Duration.ofDays(1)),
                Duration.ofMinutes(15));
    URI uri = URI.create(url);
    try (SSLSocket socket =
        Tls.connect(Tls.context(pylon.caFile(), null), pylon.port(HTTPS), List.of(), List.of())) {
      RawHttp.Response response =
          RawHttp.exchange(
              socket,
              RawHttp.webSocketUpgrade(
                  "127.0.0.1", pylon.port(HTTPS), uri.getRawPath() + "?" + uri.getRawQuery()));
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
    }
  }

  /**
   * HiveMQ over wss with a presigned query string (signed when the client is built). HiveMQ 1.3.7
   * builds its URI with the multi-argument {@code java.net.URI} constructor, which quotes every
   * {@code %}: a pre-encoded {@code %2F} would go out as {@code %252F} (hivemq-mqtt-client#643). So
   * it is given the decoded query; the {@code /} in {@code X-Amz-Credential} then goes out
   * unencoded, which AWS, and Pylon, accept because the canonical query is built by decoding and
   * re-encoding every parameter.
   */
  private static Mqtt5AsyncClient webSocketClient(String prefix) {
    String target = presignedTarget(Duration.ofMinutes(5));
    String decodedQuery = URI.create(target).getQuery();
    return Clients.hive5(clientId(prefix), pylon.port(HTTPS))
        .sslConfig(Clients.tls(pylon.caFile(), null, List.of()))
        .webSocketConfig()
        .serverPath("mqtt")
        .queryString(decodedQuery)
        .subprotocol("mqtt")
        .applyWebSocketConfig()
        .buildAsync();
  }

  /**
   * A masked binary WebSocket frame, as a client must send it (RFC 6455 5.3); payload < 126 bytes.
   */
  private static void writeBinaryFrame(OutputStream out, byte[] payload) throws IOException {
    assertThat(payload.length).isLessThan(126);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.write(0x82);
    out.write(0x80 | payload.length);
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }

  /** One unmasked binary frame from the server (payload < 126 bytes). */
  private static byte[] readBinaryFrame(InputStream in) throws IOException {
    int opcode = in.read();
    int length = in.read();
    assertThat(opcode).as("FIN + binary frame").isEqualTo(0x82);
    assertThat(length & 0x80).as("server frames are not masked").isZero();
    byte[] payload = in.readNBytes(length);
    assertThat(payload).hasSize(length);
    return payload;
  }

  @Test
  void hiveMqWithoutSignatureCannotConnect() throws Exception {
    Mqtt5AsyncClient client =
        Clients.hive5(clientId("ws-unsigned"), pylon.port(HTTPS))
            .sslConfig(Clients.tls(pylon.caFile(), null, List.of()))
            .webSocketConfig()
            .serverPath("mqtt")
            .subprotocol("mqtt")
            .applyWebSocketConfig()
            .buildAsync();
    Throwable failure = client.connect().handle((ack, error) -> error).get(15, TimeUnit.SECONDS);
    assertThat(failure).as("an unsigned WebSocket connection must be refused").isNotNull();
    assertThat(client.getState().isConnected()).isFalse();
  }
}
