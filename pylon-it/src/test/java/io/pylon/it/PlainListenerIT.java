package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.MQTT;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.it.harness.Mosquitto;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RawMqtt;
import io.pylon.it.harness.RoundTrip;
import io.pylon.it.harness.ServerProcess;
import io.pylon.mqtt.broker.ListenerSettings;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.ConnectRequest;
import io.pylon.mqtt.spi.TransportInfo;
import io.pylon.server.auth.TransportAuthenticator;
import io.pylon.server.config.ConfigLoader;
import io.pylon.server.config.ListenerConfig;
import io.pylon.server.config.PylonConfig;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plain listener ("mqtt", 1883): anonymous MQTT for local tools while, and only while, it is
 * bound to loopback; MQTT profile (the OASIS specification, QoS 2 included).
 */
class PlainListenerIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  @ParameterizedTest(name = "{0} QoS {1}")
  @CsvSource({"mqttv311, 1", "mqttv5, 2"})
  void mosquittoClientsPublishAndSubscribeAnonymously(String version, int qos) throws Exception {
    String topic = "plain/mosquitto/" + version;
    String port = Integer.toString(pylon.port(MQTT));
    try (Mosquitto.Subscriber sub =
        Mosquitto.subscribe(
            pylon.scratch("mosquitto"),
            "-h",
            "127.0.0.1",
            "-p",
            port,
            "-V",
            version,
            "-i",
            clientId("mosq-sub"),
            "-t",
            topic,
            "-q",
            Integer.toString(qos),
            "-C",
            "1",
            "-v")) {
      sub.awaitSubscribed();
      ServerProcess.Result pub =
          Mosquitto.publish(
              pylon.scratch("mosquitto"),
              "-h",
              "127.0.0.1",
              "-p",
              port,
              "-V",
              version,
              "-i",
              clientId("mosq-pub"),
              "-t",
              topic,
              "-q",
              Integer.toString(qos),
              "-m",
              "hello " + version);
      assertThat(pub.exitCode()).as(pub.stdout()).isZero();
      assertThat(sub.awaitExit()).as(sub.output()).isZero();
      assertThat(sub.output())
          .contains(topic + " hello " + version)
          // mosquitto_sub -d: "... received PUBLISH (d0, q2, r0, m1, 'topic', ...": delivered at
          // that QoS
          .containsPattern("received PUBLISH \\(d0, q" + qos + ",");
    }
  }

  @Test
  void pahoMqtt311Anonymously() throws Exception {
    RoundTrip.pahoV3(
        "tcp://127.0.0.1:" + pylon.port(MQTT), new MqttConnectOptions(), "plain/paho3");
  }

  @Test
  void pahoMqtt5Anonymously() throws Exception {
    RoundTrip.pahoV5(
        "tcp://127.0.0.1:" + pylon.port(MQTT), new MqttConnectionOptions(), "plain/paho5");
  }

  @Test
  void rawAnonymousConnectIsAccepted() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", pylon.port(MQTT)), 10_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(RawMqtt.connectV311(clientId("raw-anonymous")));
      assertThat(RawMqtt.read(socket.getInputStream()).bytes())
          .containsExactly(0x20, 0x02, 0x00, 0x00);
      socket.getOutputStream().write(RawMqtt.disconnect());
    }
  }

  /**
   * What ConfigLoader/PylonConfig do with a plain listener bound to a non-loopback address: the
   * configuration is accepted (a network-facing plain listener is legitimate for authenticated
   * clients), and anonymous access is off: {@code allowsAnonymous()} is false, the broker's
   * listener settings carry {@code allowAnonymous=false}, and the authenticator the server builds
   * from the configuration refuses an anonymous CONNECT with "not authorized".
   *
   * <p>Not tested by binding 0.0.0.0 and connecting: these tests listen on loopback only. Whether
   * an address is loopback is decided from the configured text without DNS, so the decision checked
   * here is the one the running server makes.
   */
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "listeners.mqtt.bind, 0.0.0.0",
    "bind, 0.0.0.0",
    "listeners.mqtt.bind, 192.0.2.10",
    "listeners.mqtt.bind, ::",
    "listeners.mqtt.bind, pylon.example.com"
  })
  void plainListenerOffLoopbackIsAcceptedButAdmitsNoAnonymousClient(String key, String address) {
    PylonConfig config = load(key, address);
    ListenerConfig plain = config.listener(ListenerConfig.MQTT);

    assertThat(plain.bind()).isEqualTo(address);
    assertThat(plain.isLoopback()).isFalse();
    assertThat(plain.allowsAnonymous()).isFalse();
    ListenerSettings settings = config.listenerSettings(plain);
    assertThat(settings.loopbackOnly()).isFalse();
    assertThat(settings.allowAnonymous()).isFalse();

    AuthResult result =
        serverAuthenticator(config)
            .authenticate(anonymousConnect(settings))
            .toCompletableFuture()
            .join();
    assertThat(result.allowed()).isFalse();
    assertThat(result.reasonCode()).isEqualTo(AuthResult.NOT_AUTHORIZED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"127.0.0.1", "127.0.0.2", "::1", "localhost"})
  void plainListenerOnLoopbackAdmitsAnonymousClients(String address) {
    PylonConfig config = load("listeners.mqtt.bind", address);
    ListenerSettings settings = config.listenerSettings(config.listener(ListenerConfig.MQTT));

    assertThat(settings.allowAnonymous()).isTrue();
    assertThat(
            serverAuthenticator(config)
                .authenticate(anonymousConnect(settings))
                .toCompletableFuture()
                .join()
                .allowed())
        .isTrue();
  }

  @Test
  void anonymousAccessOffLoopbackCannotEvenBeExpressed() {
    assertThatThrownBy(
            () ->
                new ListenerSettings(
                    "mqtt", Profile.MQTT, Profile.MQTT.defaultLimits(), false, true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
  }

  @Test
  void theTlsListenersNeverAdmitAnonymousClientsEvenOnLoopback() {
    PylonConfig config = pylon.config();
    assertThat(config.listener(ListenerConfig.MQTTS).allowsAnonymous()).isFalse();
    assertThat(config.listener(ListenerConfig.HTTPS).allowsAnonymous()).isFalse();
  }

  private static PylonConfig load(String key, String address) {
    return ConfigLoader.load(
        Optional.empty(),
        Map.of(),
        Map.of(
            key,
            address,
            "data-dir",
            "unused-data-dir",
            "listeners.mqtts.port",
            "0",
            "listeners.https.port",
            "0",
            "listeners.mqtt.port",
            "0"));
  }

  /** The authenticator exactly as PylonServer builds it from a configuration. */
  private static TransportAuthenticator serverAuthenticator(PylonConfig config) {
    Set<String> anonymous = new HashSet<>();
    for (ListenerConfig l : config.enabledListeners()) {
      if (l.allowsAnonymous()) {
        anonymous.add(l.name());
      }
    }
    return new TransportAuthenticator(anonymous);
  }

  private static ConnectRequest anonymousConnect(ListenerSettings settings) {
    TransportInfo transport =
        new TransportInfo(
            settings.name(),
            settings.profile(),
            new InetSocketAddress("127.0.0.1", 50_000),
            List.of(),
            null,
            null,
            false,
            settings.loopbackOnly(),
            null);
    return new ConnectRequest("anonymous", null, null, 4, transport);
  }
}
