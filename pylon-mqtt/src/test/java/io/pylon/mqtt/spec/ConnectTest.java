package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive3;
import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.hive5Builder;
import static io.pylon.mqtt.testing.Clients.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.Authorizer;
import io.pylon.mqtt.spi.ConnectRequest;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.testing.Clients;
import io.pylon.mqtt.testing.Props;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

/** MQTT 3.1.1 chapter 3.1/3.2 and MQTT 5 chapter 3.1/3.2: CONNECT and CONNACK. */
class ConnectTest {

  @Test
  void connack_mqtt5MqttProfile_advertisesSpecCapabilities() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient client = hive5(broker, "caps");
      Mqtt5ConnAck ack = client.connect();
      assertThat(ack.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
      assertThat(ack.isSessionPresent()).isFalse();
      Mqtt5ConnAckRestrictions r = ack.getRestrictions();
      assertThat(r.getReceiveMaximum()).isEqualTo(1024);
      assertThat(r.getMaximumPacketSize()).isEqualTo(1 << 20);
      assertThat(r.getTopicAliasMaximum()).isEqualTo(100);
      assertThat(r.getMaximumQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
      assertThat(r.isRetainAvailable()).isTrue();
      assertThat(r.isWildcardSubscriptionAvailable()).isTrue();
      assertThat(r.isSharedSubscriptionAvailable()).isTrue();
      assertThat(r.areSubscriptionIdentifiersAvailable()).isTrue();
      // [MQTT-3.2.2-21] no Server Keep Alive when the client's value is kept.
      assertThat(ack.getServerKeepAlive()).isEmpty();
      client.disconnect();
    }
  }

  @Test
  void connack_mqtt5AwsProfile_advertisesAwsLimits() {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient client = hive5(broker, uniqueId("aws-caps"));
      Mqtt5ConnAck ack = client.connect();
      Mqtt5ConnAckRestrictions r = ack.getRestrictions();
      assertThat(r.getReceiveMaximum()).isEqualTo(100);
      assertThat(r.getMaximumPacketSize()).isEqualTo(128 * 1024);
      assertThat(r.getTopicAliasMaximum()).isEqualTo(8);
      assertThat(r.getMaximumQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(r.areSubscriptionIdentifiersAvailable()).isFalse();
      assertThat(r.isSharedSubscriptionAvailable()).isTrue();
      client.disconnect();
    }
  }

  @Test
  void connect_mqtt5EmptyClientId_serverAssignsIdentifier() {
    // [MQTT-3.1.3-6] [MQTT-3.2.2-16] zero-length client id: the server assigns one and returns it.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient client = hive5Builder(broker, "").buildBlocking();
      Mqtt5ConnAck ack = client.connect();
      assertThat(ack.getAssignedClientIdentifier()).isPresent();
      assertThat(ack.getAssignedClientIdentifier().get().toString()).isNotEmpty();
      client.disconnect();
    }
  }

  @Test
  void connect_mqtt311EmptyClientIdWithCleanSession_accepted() throws Exception {
    // [MQTT-3.1.3-6] [MQTT-3.1.3-7] a zero-length id is allowed with clean session.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 4)) {
      RawClient.Packet ack = raw.connect("", true, 60);
      assertThat(ack.reasonCode()).isEqualTo(0);
    }
  }

  @Test
  void connect_mqtt311EmptyClientIdWithoutCleanSession_refusedWithReturnCode2() throws Exception {
    // [MQTT-3.1.3-8] zero-length id with CleanSession 0: CONNACK 0x02 (identifier rejected), then
    // close.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 4)) {
      RawClient.Packet ack = raw.connect("", false, 60);
      assertThat(ack.reasonCode()).isEqualTo(2);
      assertThat(ack.sessionPresent()).isFalse();
      raw.readUntilClosed();
    }
  }

  @Test
  void connect_mqtt311EmptyClientIdWithoutCleanSessionPaho_refusedWithReturnCode2()
      throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      MqttClient paho = Clients.paho3(broker, "");
      MqttException e =
          catchThrowableOfType(
              MqttException.class, () -> paho.connect(Clients.paho3Options(false)));
      assertThat(e).isNotNull();
      assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_INVALID_CLIENT_ID);
      paho.close();
    }
  }

  @Test
  void connect_unsupportedProtocolLevel_refusedWithReturnCode1() throws Exception {
    // [MQTT-3.1.2-2] unsupported protocol level: CONNACK 0x01 and close.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 7)) {
      raw.send(raw.connectPacket("level7", true, 60, null, null, null, 0, false, null, null));
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).hasSize(1);
      assertThat(packets.get(0).type).isEqualTo(RawClient.CONNACK);
      assertThat(packets.get(0).reasonCode()).isEqualTo(1);
    }
  }

  @Test
  void connect_mqtt31ProtocolName_accepted() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 3)) {
      assertThat(raw.connect("mqtt31", true, 60).reasonCode()).isEqualTo(0);
      raw.send(RawClient.pingreq());
      raw.expect(RawClient.PINGRESP);
    }
  }

  @Test
  void connect_persistentSession_sessionPresentOnResumeAndNotAfterCleanStart() {
    // [MQTT-3.2.2-2] [MQTT-3.2.2-3] session present reflects a resumed session.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient client = hive5(broker, "persistent");
      Mqtt5ConnAck first = client.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
      assertThat(first.isSessionPresent()).isFalse();
      client.disconnect();
      Mqtt5ConnAck second =
          client.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
      assertThat(second.isSessionPresent()).isTrue();
      client.disconnect();
      Mqtt5ConnAck third = client.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
      assertThat(third.isSessionPresent()).isFalse();
      client.disconnect();
    }
  }

  @Test
  void connect_mqtt311PersistentSession_sessionPresentOnResume() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt3BlockingClient client = hive3(broker, "persistent311");
      Mqtt3ConnAck first = client.connectWith().cleanSession(false).send();
      assertThat(first.isSessionPresent()).isFalse();
      client.disconnect();
      Mqtt3ConnAck second = client.connectWith().cleanSession(false).send();
      assertThat(second.isSessionPresent()).isTrue();
      client.disconnect();
      Mqtt3ConnAck third = client.connectWith().cleanSession(true).send();
      assertThat(third.isSessionPresent()).isFalse();
      client.disconnect();
    }
  }

  @Test
  void connect_awsKeepAliveOutsideRange_clampedAndReturnedAsServerKeepAlive() {
    // AWS IoT: keep-alive 30..1200 s; 0 or > 1200 becomes 1200, 1..29 becomes 30 [MQTT-3.2.2-21].
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      assertThat(serverKeepAlive(broker, 10)).isEqualTo(30);
      assertThat(serverKeepAlive(broker, 0)).isEqualTo(1200);
      assertThat(serverKeepAlive(broker, 5000)).isEqualTo(1200);
      assertThat(serverKeepAlive(broker, 60)).isEqualTo(-1);
    }
  }

  @Test
  void connect_mqttProfileSmallKeepAlive_keptAsRequested() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      assertThat(serverKeepAlive(broker, 5)).isEqualTo(-1);
      assertThat(serverKeepAlive(broker, 0)).isEqualTo(-1);
    }
  }

  private static int serverKeepAlive(TestBroker broker, int requested) {
    Mqtt5BlockingClient client = hive5(broker, uniqueId("ka"));
    Mqtt5ConnAck ack = client.connectWith().keepAlive(requested).send();
    client.disconnect();
    return ack.getServerKeepAlive().orElse(-1);
  }

  @Test
  void connect_awsSessionExpiryAboveMaximum_clampedAndReturned() {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient client = hive5(broker, uniqueId("expiry"));
      Mqtt5ConnAck ack = client.connectWith().cleanStart(true).sessionExpiryInterval(7200).send();
      assertThat(ack.getSessionExpiryInterval()).hasValue(3600);
      client.disconnect();
    }
  }

  @Test
  void connect_awsSdkUsernameSuffix_acceptedAndHandedToAuthenticatorUnchanged() {
    List<ConnectRequest> requests = new CopyOnWriteArrayList<>();
    BrokerOptions options =
        BrokerOptions.permissive()
            .withAuth(
                request -> {
                  requests.add(request);
                  return CompletableFuture.completedFuture(AuthResult.allow(Principal.ANONYMOUS));
                },
                Authorizer.ALLOW_ALL);
    try (TestBroker broker = new TestBroker(Profile.AWS, options, UnaryOperator.identity())) {
      String username = "user?SDK=Java&Version=1.0";
      Mqtt3BlockingClient v3 = hive3(broker, uniqueId("sdk3"));
      v3.connectWith().simpleAuth().username(username).applySimpleAuth().send();
      v3.disconnect();
      Mqtt5BlockingClient v5 = hive5(broker, uniqueId("sdk5"));
      v5.connectWith().simpleAuth().username(username).applySimpleAuth().send();
      v5.disconnect();
      assertThat(requests).extracting(ConnectRequest::username).containsExactly(username, username);
      assertThat(requests).extracting(ConnectRequest::protocolVersion).containsExactly(4, 5);
    }
  }

  @Test
  void connect_authenticatorDenies_refusedWithBadCredentialsCode() {
    BrokerOptions options =
        BrokerOptions.permissive()
            .withAuth(
                request ->
                    CompletableFuture.completedFuture(
                        AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "bad")),
                Authorizer.ALLOW_ALL);
    try (TestBroker broker = new TestBroker(Profile.MQTT, options, UnaryOperator.identity())) {
      Mqtt5ConnAckException v5 =
          catchThrowableOfType(
              Mqtt5ConnAckException.class, () -> hive5(broker, "denied5").connect());
      assertThat(v5.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      // [MQTT-3.2.2.3] 3.1.1 return code 4: bad user name or password.
      Mqtt3ConnAckException v3 =
          catchThrowableOfType(
              Mqtt3ConnAckException.class, () -> hive3(broker, "denied3").connect());
      assertThat(v3.getMqttMessage().getReturnCode())
          .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
    }
  }

  @Test
  void connect_awsClientIdLongerThan128Bytes_refusedAsInvalidIdentifier() {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      String ok = "c".repeat(128);
      Mqtt5BlockingClient accepted = hive5(broker, ok);
      accepted.connect();
      accepted.disconnect();
      String tooLong = "d".repeat(129);
      Mqtt5ConnAckException v5 =
          catchThrowableOfType(Mqtt5ConnAckException.class, () -> hive5(broker, tooLong).connect());
      assertThat(v5.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
      Mqtt3ConnAckException v3 =
          catchThrowableOfType(
              Mqtt3ConnAckException.class, () -> hive3(broker, "e".repeat(129)).connect());
      assertThat(v3.getMqttMessage().getReturnCode())
          .isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED);
    }
  }

  @Test
  void connect_awsClientIdStartingWithDollar_refused() {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5ConnAckException e =
          catchThrowableOfType(
              Mqtt5ConnAckException.class, () -> hive5(broker, "$reserved").connect());
      assertThat(e.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
    }
  }

  @Test
  void connect_awsSameClientIdTwiceWithinOneSecond_secondThrottled() {
    // AWS IoT: one CONNECT per second per client id; the extra one is refused (v5 0x97).
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      String id = uniqueId("throttled");
      Mqtt5BlockingClient first = hive5(broker, id);
      first.connect();
      Mqtt5ConnAckException e =
          catchThrowableOfType(Mqtt5ConnAckException.class, () -> hive5(broker, id).connect());
      assertThat(e.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
      assertThat(first.getState().isConnected()).isTrue();
      first.disconnect();
    }
  }

  @Test
  void connect_awsWillQos2_refusedQosNotSupported() {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5ConnAckException e =
          catchThrowableOfType(
              Mqtt5ConnAckException.class,
              () ->
                  hive5(broker, uniqueId("will2"))
                      .connectWith()
                      .willPublish()
                      .topic("will/t")
                      .qos(MqttQos.EXACTLY_ONCE)
                      .applyWillPublish()
                      .send());
      assertThat(e.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.QOS_NOT_SUPPORTED);
    }
  }

  @Test
  void connect_authenticationMethod_refusedBadAuthenticationMethod() throws Exception {
    // Enhanced authentication is not offered: [MQTT-4.12.0-1] CONNACK 0x8C.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      RawClient.Packet ack =
          raw.connect("auth", true, 60, Props.of(Props.AUTHENTICATION_METHOD, "SCRAM-SHA-1"));
      assertThat(ack.reasonCode()).isEqualTo(0x8C);
      raw.readUntilClosed();
    }
  }

  @Test
  void connect_receiveMaximumZero_refusedProtocolError() throws Exception {
    // [MQTT-3.1.2.11.3] a Receive Maximum of 0 is a protocol error.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      RawClient.Packet ack = raw.connect("rm0", true, 60, Props.of(Props.RECEIVE_MAXIMUM, 0));
      assertThat(ack.reasonCode()).isEqualTo(0x82);
      raw.readUntilClosed();
    }
  }

  @Test
  void connect_refusedMqtt5_carriesReasonStringUnlessProblemInformationDeclined() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        RawClient.Packet ack = raw.connect("rs1", true, 60, Props.of(Props.RECEIVE_MAXIMUM, 0));
        assertThat(ack.props().string(Props.REASON_STRING)).isNotBlank();
      }
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        RawClient.Packet ack =
            raw.connect(
                "rs2",
                true,
                60,
                Props.of(Props.RECEIVE_MAXIMUM, 0).with(Props.REQUEST_PROBLEM_INFORMATION, 0));
        assertThat(ack.props().has(Props.REASON_STRING)).isFalse();
      }
    }
  }

  @Test
  void connect_pahoBothVersions_connectAndDisconnect() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      MqttClient v3 = Clients.paho3(broker, "paho3");
      MqttConnectOptions o = Clients.paho3Options(true);
      v3.connect(o);
      assertThat(v3.isConnected()).isTrue();
      v3.disconnect();
      v3.close();
      org.eclipse.paho.mqttv5.client.MqttClient v5 = Clients.paho5(broker, "paho5");
      org.eclipse.paho.mqttv5.client.IMqttToken token =
          v5.connectWithResult(Clients.paho5Options(true));
      assertThat(token.getResponseProperties().getMaximumQoS()).isNull();
      assertThat(v5.isConnected()).isTrue();
      v5.disconnect();
      v5.close();
    }
  }

  @Test
  void connect_packetsPipelinedBehindConnect_processedInOrderAfterConnAck() throws Exception {
    // A client may send packets right behind CONNECT without waiting for CONNACK (MQTT 5 3.1.4):
    // they are held while the connection is authenticated, then processed in order.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
      burst.writeBytes(
          raw.connectPacket("eager", true, 60, null, null, null, 0, false, null, null));
      burst.writeBytes(raw.subscribePacket(1, null, new String[] {"eager/t"}, new int[] {1}));
      burst.writeBytes(
          raw.publishPacket("eager/t", 1, false, false, 2, null, Clients.utf8("self")));
      raw.send(burst.toByteArray());
      assertThat(raw.expect(RawClient.CONNACK).reasonCode()).isZero();
      assertThat(raw.expect(RawClient.SUBACK).codes()).containsExactly(1);
      List<RawClient.Packet> next = List.of(raw.read(), raw.read());
      assertThat(next)
          .extracting(p -> p.type)
          .containsExactlyInAnyOrder(RawClient.PUBACK, RawClient.PUBLISH);
    }
  }

  @Test
  void connect_maximumPacketSizeZero_refusedProtocolError() throws Exception {
    // MQTT 5 3.1.2.11.4: a Maximum Packet Size of 0 is a protocol error.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      assertThat(raw.connect("mps0", true, 60, Props.of(Props.MAXIMUM_PACKET_SIZE, 0)).reasonCode())
          .isEqualTo(0x82);
      raw.readUntilClosed();
    }
  }
}
