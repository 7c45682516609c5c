package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.MQTTS;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.Device;
import io.pylon.it.harness.ForeignCa;
import io.pylon.it.harness.Mosquitto;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RawMqtt;
import io.pylon.it.harness.RoundTrip;
import io.pylon.it.harness.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The device listener ("mqtts", AWS port 8883): MQTT over TLS, client certificate issued by a
 * trusted CA required, TLS 1.2 and 1.3, ALPN {@code x-amzn-mqtt-ca} accepted as on AWS.
 */
class TlsListenerIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static final byte[] CONNACK_ACCEPTED_V311 = {0x20, 0x02, 0x00, 0x00};

  private static Device device;

  /** Same subject as {@link #device}, issued by a CA the server does not trust. */
  private static Device stranger;

  @BeforeAll
  static void issueDevices() {
    device = pylon.device("tls-device");
    stranger =
        new ForeignCa("Foreign Test CA")
            .issueDevice("tls-device", pylon.caFile(), pylon.scratch("foreign"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void hiveMqMqtt5RoundTrip(String protocol) throws Exception {
    RoundTrip.hive5(
        Clients.hive5Tls(clientId("hive5-sub"), pylon.port(MQTTS), device, List.of(protocol)),
        Clients.hive5Tls(clientId("hive5-pub"), pylon.port(MQTTS), device, List.of(protocol)),
        "tls/hive5/" + protocol);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void hiveMqMqtt311RoundTrip(String protocol) throws Exception {
    RoundTrip.hive3(
        Clients.hive3Tls(clientId("hive3-sub"), pylon.port(MQTTS), device, List.of(protocol)),
        Clients.hive3Tls(clientId("hive3-pub"), pylon.port(MQTTS), device, List.of(protocol)),
        "tls/hive3/" + protocol);
  }

  @Test
  void pahoMqtt311RoundTrip() throws Exception {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setSocketFactory(device.sslContext().getSocketFactory());
    options.setHttpsHostnameVerificationEnabled(true);
    RoundTrip.pahoV3("ssl://127.0.0.1:" + pylon.port(MQTTS), options, "tls/paho3");
  }

  @Test
  void pahoMqtt5RoundTrip() throws Exception {
    MqttConnectionOptions options = new MqttConnectionOptions();
    // The JKS form of the device identity, to cover the key store type older JDK clients use.
    options.setSocketFactory(
        Tls.context(
                device.caFile(), Device.keyManagerFactory(device.jksKeyStore()).getKeyManagers())
            .getSocketFactory());
    options.setHttpsHostnameVerificationEnabled(true);
    RoundTrip.pahoV5("ssl://127.0.0.1:" + pylon.port(MQTTS), options, "tls/paho5");
  }

  @Test
  void mosquittoClientsWithPemFilesRoundTrip() throws Exception {
    // OpenSSL-based clients with the PEM files, as the banner's "Try:" line suggests.
    String[] tls = {
      "-h",
      "127.0.0.1",
      "-p",
      Integer.toString(pylon.port(MQTTS)),
      "--cafile",
      device.caFile().toString(),
      "--cert",
      device.certificatePem().toString(),
      "--key",
      device.privateKeyPem().toString()
    };
    try (Mosquitto.Subscriber sub =
        Mosquitto.subscribe(
            pylon.scratch("mosquitto"),
            concat(
                tls,
                "-i",
                clientId("mosq-sub"),
                "-t",
                "tls/mosquitto",
                "-q",
                "1",
                "-C",
                "1",
                "-v"))) {
      sub.awaitSubscribed();
      var pub =
          Mosquitto.publish(
              pylon.scratch("mosquitto"),
              concat(
                  tls,
                  "-i",
                  clientId("mosq-pub"),
                  "-t",
                  "tls/mosquitto",
                  "-q",
                  "1",
                  "-m",
                  "hello from openssl"));
      assertThat(pub.exitCode()).as(pub.stdout()).isZero();
      assertThat(sub.awaitExit()).as(sub.output()).isZero();
      assertThat(sub.output()).contains("tls/mosquitto hello from openssl");
    }
  }

  static String[] concat(String[] first, String... more) {
    String[] all = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void negotiatesTheRequestedTlsVersionAndAcceptsConnect(String protocol) throws Exception {
    try (SSLSocket socket =
        Tls.connect(device.sslContext(), pylon.port(MQTTS), List.of(protocol), List.of())) {
      assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
      assertThat(connect(socket)).isEqualTo(CONNACK_ACCEPTED_V311);
    }
  }

  @Test
  void offeringAlpnMqttConnectsAsOnAws() throws Exception {
    try (SSLSocket socket =
        Tls.connect(device.sslContext(), pylon.port(MQTTS), List.of(), List.of(Tls.MQTT_ALPN))) {
      assertThat(socket.getApplicationProtocol()).isEqualTo(Tls.MQTT_ALPN);
      assertThat(connect(socket)).isEqualTo(CONNACK_ACCEPTED_V311);
    }
  }

  @Test
  void offeringOnlyAnUnknownAlpnProtocolStillConnects() throws Exception {
    // ServerTls: ALPN never fails a handshake; with no common protocol none is selected.
    try (SSLSocket socket =
        Tls.connect(device.sslContext(), pylon.port(MQTTS), List.of(), List.of("h2"))) {
      assertThat(socket.getApplicationProtocol()).isEmpty();
      assertThat(connect(socket)).isEqualTo(CONNACK_ACCEPTED_V311);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void withoutClientCertificateTheHandshakeFails(String protocol) {
    SSLContext noCertificate = Tls.context(pylon.caFile(), null);
    assertRefusedByTls(refusal(noCertificate, pylon.port(MQTTS), protocol));
  }

  @Test
  void withoutClientCertificateHiveMqCannotConnect() {
    Mqtt5AsyncClient client =
        Clients.hive5(clientId("no-cert"), pylon.port(MQTTS))
            .sslConfig(Clients.tls(pylon.caFile(), null, List.of()))
            .buildAsync();
    assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThat(client.getState().isConnected()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void certificateFromAForeignCaIsRefused(String protocol) {
    // Present it whatever CAs the server lists, as a device would.
    SSLContext context =
        Tls.context(pylon.caFile(), Tls.alwaysPresent(stranger.keyStore(), Device.PASSWORD));
    assertRefusedByTls(refusal(context, pylon.port(MQTTS), protocol));
  }

  @Test
  void certificateFromAForeignCaCannotConnectWithHiveMq() {
    Mqtt5AsyncClient client =
        Clients.hive5Tls(clientId("stranger"), pylon.port(MQTTS), stranger, List.of());
    assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThat(client.getState().isConnected()).isFalse();
  }

  /** Sends CONNECT (3.1.1) and returns the first packet's bytes. */
  private static byte[] connect(SSLSocket socket) throws IOException {
    socket.getOutputStream().write(RawMqtt.connectV311(clientId("raw")));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    byte[] connAck = RawMqtt.read(in).bytes();
    socket.getOutputStream().write(RawMqtt.disconnect());
    socket.getOutputStream().flush();
    return connAck;
  }

  /**
   * Connects and reads: a server that refuses the client certificate sends a TLS alert, which the
   * client sees during the handshake (TLS 1.2) or on its first read (TLS 1.3, where the client
   * finishes its side of the handshake before the server has checked the certificate). Reading
   * first, without writing, keeps a "broken pipe" on the write from hiding the alert. A server that
   * wrongly accepted would wait for CONNECT, and the read would time out instead.
   */
  static Throwable refusal(SSLContext context, int port, String protocol) {
    return catchThrowable(
        () -> {
          try (SSLSocket socket = Tls.connect(context, port, List.of(protocol), List.of())) {
            socket.getInputStream().read();
          }
        });
  }

  /**
   * What the server does: it aborts the handshake with a fatal alert (from the JDK TLS stack:
   * bad_certificate, certificate_required, certificate_unknown) and closes. The JDK client reports
   * the alert, or, when the server's close overtakes the client's last handshake write (TLS 1.2),
   * "Broken pipe"/"Connection reset". A read timeout (SocketTimeoutException, not a
   * SocketException) would mean the server accepted the client.
   */
  static void assertRefusedByTls(Throwable failure) {
    assertThat(failure).as("the connection must fail, not wait for CONNECT").isNotNull();
    assertThat(failure).isInstanceOfAny(SSLException.class, SocketException.class);
    if (failure instanceof SSLException) {
      assertThat(failure.getMessage()).contains("fatal alert");
    } else {
      assertThat(failure.getMessage()).containsAnyOf("Broken pipe", "Connection reset");
    }
  }
}
