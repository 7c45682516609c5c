package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.HTTPS;
import static io.pylon.it.harness.PylonServerExtension.MQTTS;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.it.harness.Device;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RoundTrip;
import io.pylon.server.credentials.AdminCredentials;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.crt.CrtResource;
import software.amazon.awssdk.crt.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.crt.io.ClientBootstrap;
import software.amazon.awssdk.crt.io.ClientTlsContext;
import software.amazon.awssdk.crt.io.TlsContextOptions;
import software.amazon.awssdk.crt.mqtt.MqttClient;
import software.amazon.awssdk.crt.mqtt.MqttClientConnection;
import software.amazon.awssdk.crt.mqtt.MqttConnectionConfig;
import software.amazon.awssdk.crt.mqtt.MqttMessage;
import software.amazon.awssdk.crt.mqtt.QualityOfService;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.PublishResult;
import software.amazon.awssdk.crt.mqtt5.PublishReturn;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.ConnAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket;
import software.amazon.awssdk.crt.utils.PackageInfo;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;
import software.amazon.awssdk.iot.AwsIotMqttConnectionBuilder;

/**
 * The AWS IoT Device SDK for Java v2 (native aws-crt, s2n TLS) against Pylon, configured as its
 * samples configure it for AWS: mTLS from PEM files, the CA from a file, endpoint and port. The SDK
 * always appends {@code ?SDK=JavaV2&Version=...} to the CONNECT user name; Pylon must accept it.
 * MQTT over WebSocket is signed by the CRT's own SigV4 implementation, independent of Pylon's.
 * Every native resource is closed, and {@link #noNativeResourcesLeak} checks none is left.
 */
class AwsDeviceSdkIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static final long TIMEOUT = RoundTrip.TIMEOUT_SECONDS;

  private static Device device;

  @BeforeAll
  static void issueDevice() {
    device = pylon.device("sdk-device");
  }

  @AfterAll
  static void noNativeResourcesLeak() {
    ClientBootstrap.closeStaticDefault();
    // Blocks until every CrtResource has been released; throws if some never are.
    CrtResource.waitForNoResources();
  }

  @ParameterizedTest(name = "endpoint {0}")
  @ValueSource(strings = {"127.0.0.1", "localhost"})
  void mqtt311ConnectionBuilderOnTheDevicePort(String endpoint) throws Exception {
    try (AwsIotMqttConnectionBuilder builder =
        AwsIotMqttConnectionBuilder.newMtlsBuilderFromPath(
                device.certificatePem().toString(), device.privateKeyPem().toString())
            .withCertificateAuthorityFromPath(null, device.caFile().toString())
            .withEndpoint(endpoint)
            .withPort(pylon.port(MQTTS))
            .withClientId(clientId("sdk311"))
            .withUsername("sdk-user") // the SDK turns this into sdk-user?SDK=JavaV2&Version=...
            .withCleanSession(true)
            .withKeepAliveSecs(60)
            .withProtocolOperationTimeoutMs(10_000)) {
      try (MqttClientConnection connection = builder.build()) {
        roundTrip311(connection, "sdk/v311/" + endpoint);
      }
    }
  }

  @Test
  void mqtt311OnTheHttpsPortWithAlpnAsOnPort443() throws Exception {
    // AwsIotMqttConnectionBuilder only adds ALPN x-amzn-mqtt-ca when the port is 443, which a test
    // cannot bind; this builds the connection as the builder does, with the ALPN list set
    // explicitly, and the user name the builder would send.
    assertThat(TlsContextOptions.isAlpnSupported())
        .as("aws-crt ALPN support on this platform")
        .isTrue();
    try (TlsContextOptions tlsOptions =
            TlsContextOptions.createWithMtlsFromPath(
                    device.certificatePem().toString(), device.privateKeyPem().toString())
                .withCertificateAuthorityFromPath(null, device.caFile().toString())
                .withAlpnList("x-amzn-mqtt-ca");
        ClientTlsContext tls = new ClientTlsContext(tlsOptions);
        MqttClient client = new MqttClient(ClientBootstrap.getOrCreateStaticDefault(), tls);
        MqttConnectionConfig config = new MqttConnectionConfig()) {
      config.setMqttClient(client);
      config.setEndpoint("127.0.0.1");
      config.setPort(pylon.port(HTTPS));
      config.setClientId(clientId("sdk311-alpn"));
      config.setCleanSession(true);
      config.setKeepAliveSecs(60);
      config.setProtocolOperationTimeoutMs(10_000);
      config.setUsername("?SDK=JavaV2&Version=" + new PackageInfo().version);
      try (MqttClientConnection connection = new MqttClientConnection(config)) {
        roundTrip311(connection, "sdk/v311/alpn");
      }
    }
  }

  private static void roundTrip311(MqttClientConnection connection, String topic) throws Exception {
    boolean sessionPresent = connection.connect().get(TIMEOUT, TimeUnit.SECONDS);
    assertThat(sessionPresent).isFalse();
    try {
      CompletableFuture<MqttMessage> received = new CompletableFuture<>();
      connection
          .subscribe(topic, QualityOfService.AT_LEAST_ONCE, received::complete)
          .get(TIMEOUT, TimeUnit.SECONDS);
      byte[] payload = RoundTrip.payload("{\"from\":\"aws-iot-device-sdk\"}");
      connection
          .publish(new MqttMessage(topic, payload, QualityOfService.AT_LEAST_ONCE, false))
          .get(TIMEOUT, TimeUnit.SECONDS);
      MqttMessage message = received.get(TIMEOUT, TimeUnit.SECONDS);
      assertThat(message.getTopic()).isEqualTo(topic);
      assertThat(message.getPayload()).isEqualTo(payload);
      assertThat(message.getQos()).isEqualTo(QualityOfService.AT_LEAST_ONCE);
    } finally {
      connection.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "{0} listener")
  @ValueSource(strings = {MQTTS, HTTPS})
  void mqtt5ClientBuilderDirectMtls(String listener) throws Exception {
    // newDirectMqttBuilderWithMtlsFromPath always offers ALPN x-amzn-mqtt-ca (where the platform
    // supports ALPN), so on the https listener this is MQTT selected by ALPN, as on AWS port 443.
    assertThat(TlsContextOptions.isAlpnSupported())
        .as("aws-crt ALPN support on this platform")
        .isTrue();
    try (AwsIotMqtt5ClientBuilder builder =
        AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
            "127.0.0.1", device.certificatePem().toString(), device.privateKeyPem().toString())) {
      roundTrip5(builder, pylon.port(listener), "sdk5-" + listener, "sdk/v5/" + listener);
    }
  }

  @Test
  void mqtt5OverWebSocketSignedBySdk() throws Exception {
    // The CRT's own SigV4 (aws-c-auth) signs the upgrade: an implementation independent of Pylon's.
    AdminCredentials admin = pylon.server().credentials();
    try (StaticCredentialsProvider credentials =
        new StaticCredentialsProvider.StaticCredentialsProviderBuilder()
            .withAccessKeyId(admin.accessKeyId().getBytes(StandardCharsets.UTF_8))
            .withSecretAccessKey(admin.secretAccessKey().getBytes(StandardCharsets.UTF_8))
            .build()) {
      AwsIotMqtt5ClientBuilder.WebsocketSigv4Config sigv4 =
          new AwsIotMqtt5ClientBuilder.WebsocketSigv4Config();
      sigv4.credentialsProvider = credentials;
      sigv4.region = pylon.server().config().aws().region();
      try (AwsIotMqtt5ClientBuilder builder =
          AwsIotMqtt5ClientBuilder.newWebsocketMqttBuilderWithSigv4Auth("127.0.0.1", sigv4)) {
        roundTrip5(builder, pylon.port(HTTPS), "sdk5-ws", "sdk/v5/websocket");
      }
    }
  }

  private static void roundTrip5(
      AwsIotMqtt5ClientBuilder builder, int port, String clientPrefix, String topic)
      throws Exception {
    Events events = new Events();
    builder
        .withCertificateAuthorityFromPath(null, device.caFile().toString())
        .withPort((long) port)
        .withConnectProperties(
            new ConnectPacket.ConnectPacketBuilder()
                .withClientId(clientId(clientPrefix))
                .withKeepAliveIntervalSeconds(60L))
        .withLifeCycleEvents(events)
        .withPublishEvents(events)
        .withConnackTimeoutMs(10_000L)
        .withAckTimeoutSeconds(10L);
    try (Mqtt5Client client = builder.build()) {
      client.start();
      try {
        ConnAckPacket connAck = events.connected.get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(connAck.getReasonCode()).isEqualTo(ConnAckPacket.ConnectReasonCode.SUCCESS);

        SubAckPacket subAck =
            client
                .subscribe(
                    new SubscribePacket.SubscribePacketBuilder()
                        .withSubscription(topic, QOS.AT_LEAST_ONCE)
                        .build())
                .get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(subAck.getReasonCodes())
            .containsExactly(SubAckPacket.SubAckReasonCode.GRANTED_QOS_1);

        byte[] payload = RoundTrip.payload("{\"from\":\"mqtt5 sdk\"}");
        PublishResult result =
            client
                .publish(
                    new PublishPacket.PublishPacketBuilder()
                        .withTopic(topic)
                        .withQOS(QOS.AT_LEAST_ONCE)
                        .withPayload(payload)
                        .build())
                .get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(result.getType()).isEqualTo(PublishResult.PublishResultType.PUBACK);
        assertThat(result.getResultPubAck().getReasonCode())
            .isEqualTo(PubAckPacket.PubAckReasonCode.SUCCESS);

        PublishPacket received = events.received.get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(received.getTopic()).isEqualTo(topic);
        assertThat(received.getPayload()).isEqualTo(payload);
        assertThat(received.getQOS()).isEqualTo(QOS.AT_LEAST_ONCE);
      } finally {
        client.stop();
        events.stopped.get(TIMEOUT, TimeUnit.SECONDS);
      }
    }
  }

  /** The MQTT 5 client's callbacks, as futures. */
  private static final class Events
      implements Mqtt5ClientOptions.LifecycleEvents, Mqtt5ClientOptions.PublishEvents {
    final CompletableFuture<ConnAckPacket> connected = new CompletableFuture<>();
    final CompletableFuture<PublishPacket> received = new CompletableFuture<>();
    final CompletableFuture<Void> stopped = new CompletableFuture<>();

    @Override
    public void onAttemptingConnect(Mqtt5Client client, OnAttemptingConnectReturn r) {}

    @Override
    public void onConnectionSuccess(Mqtt5Client client, OnConnectionSuccessReturn r) {
      connected.complete(r.getConnAckPacket());
    }

    @Override
    public void onConnectionFailure(Mqtt5Client client, OnConnectionFailureReturn r) {
      connected.completeExceptionally(
          new IllegalStateException(
              "connection failed: error code "
                  + r.getErrorCode()
                  + " ("
                  + software.amazon.awssdk.crt.CRT.awsErrorName(r.getErrorCode())
                  + ")"
                  + (r.getConnAckPacket() == null
                      ? ""
                      : ", CONNACK " + r.getConnAckPacket().getReasonCode())));
    }

    @Override
    public void onDisconnection(Mqtt5Client client, OnDisconnectionReturn r) {}

    @Override
    public void onStopped(Mqtt5Client client, OnStoppedReturn r) {
      stopped.complete(null);
    }

    @Override
    public void onMessageReceived(Mqtt5Client client, PublishReturn r) {
      received.complete(r.getPublishPacket());
    }
  }
}
