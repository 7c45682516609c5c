package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive3;
import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.Authorizer;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 chapter 5 (security): the broker asks the {@link Authorizer} for every CONNECT, PUBLISH,
 * retained PUBLISH, SUBSCRIBE and delivery, and answers refusals as AWS IoT does.
 */
class AuthorizationTest {

  /**
   * Denies: connecting as "intruder*", publishing to "forbidden/...", retaining on "noretain/...",
   * subscribing to "secret/...", and "blind" receiving anything under "hidden/...".
   */
  private static final Authorizer POLICY =
      (principal, clientId, action, resource) -> {
        switch (action) {
          case CONNECT:
            return !clientId.startsWith("intruder");
          case PUBLISH:
            return !resource.startsWith("forbidden/");
          case RETAIN_PUBLISH:
            return !resource.startsWith("noretain/");
          case SUBSCRIBE:
            return !resource.startsWith("secret/");
          case RECEIVE:
            return !(clientId.equals("blind") && resource.startsWith("hidden/"));
          default:
            return true;
        }
      };

  private static TestBroker broker() {
    BrokerOptions options =
        BrokerOptions.permissive()
            .withAuth(
                request -> CompletableFuture.completedFuture(AuthResult.allow(Principal.ANONYMOUS)),
                POLICY);
    return new TestBroker(Profile.MQTT, options, UnaryOperator.identity());
  }

  @Test
  void connect_notAuthorized_refusedNotAuthorized() {
    try (TestBroker broker = broker()) {
      Mqtt5ConnAckException v5 =
          catchThrowableOfType(
              Mqtt5ConnAckException.class, () -> hive5(broker, "intruder5").connect());
      assertThat(v5.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
      Mqtt3ConnAckException v3 =
          catchThrowableOfType(
              Mqtt3ConnAckException.class, () -> hive3(broker, "intruder3").connect());
      assertThat(v3.getMqttMessage().getReturnCode())
          .isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED);
    }
  }

  @Test
  void publish_notAuthorizedMqtt5_pubAckNotAuthorizedAndNotRouted() {
    try (TestBroker broker = broker()) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5(broker, "pub");
      pub.connect();
      Mqtt5PubAckException e =
          catchThrowableOfType(
              Mqtt5PubAckException.class,
              () ->
                  pub.publishWith()
                      .topic("forbidden/x")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .payload(utf8("no"))
                      .send());
      assertThat(e.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
      pub.publishWith().topic("allowed/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("yes")).send();
      assertThat(inbox.nextPayload()).isEqualTo("yes");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void publish_notAuthorizedMqtt311_connectionClosed() throws Exception {
    // MQTT 3.1.1 cannot refuse a PUBLISH: AWS IoT closes the connection.
    try (TestBroker broker = broker();
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect("pub311", true, 60);
      raw.publish("forbidden/x", 1, 1, "no");
      assertThat(raw.readUntilClosed()).isEmpty();
    }
  }

  @Test
  void retainedPublish_notAuthorizedToRetain_refusedAndNotStored() {
    try (TestBroker broker = broker()) {
      Mqtt5BlockingClient pub = hive5(broker, "pub");
      pub.connect();
      Mqtt5PubAckException e =
          catchThrowableOfType(
              Mqtt5PubAckException.class,
              () ->
                  pub.publishWith()
                      .topic("noretain/x")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .retain(true)
                      .payload(utf8("r"))
                      .send());
      assertThat(e.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
      assertThat(broker.broker().retained("noretain/x")).isNull();
      // Without RETAIN the same topic is fine.
      pub.publishWith().topic("noretain/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("ok")).send();
      pub.disconnect();
    }
  }

  @Test
  void subscribe_notAuthorized_failureCodePerFilter() throws Exception {
    try (TestBroker broker = broker()) {
      Mqtt5BlockingClient c = hive5(broker, "sub");
      c.connect();
      // HiveMQ's client reports a SUBACK with any failure code as Mqtt5SubAckException.
      Mqtt5SubAckException e =
          catchThrowableOfType(
              Mqtt5SubAckException.class,
              () ->
                  c.subscribeWith()
                      .addSubscription()
                      .topicFilter("secret/x")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .applySubscription()
                      .addSubscription()
                      .topicFilter("open/x")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .applySubscription()
                      .send());
      assertThat(e.getMqttMessage().getReasonCodes())
          .containsExactly(
              Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.GRANTED_QOS_1);
      c.disconnect();
      try (RawClient raw = new RawClient(broker.port(), 4)) {
        raw.connect("sub311", true, 60);
        raw.send(
            raw.subscribePacket(1, null, new String[] {"secret/x", "open/x"}, new int[] {1, 1}));
        assertThat(raw.expect(RawClient.SUBACK).codes()).containsExactly(0x80, 1);
      }
    }
  }

  @Test
  void receive_notAuthorized_notDeliveredToThatSubscriberOnly() {
    try (TestBroker broker = broker()) {
      Mqtt5BlockingClient blind = hive5(broker, "blind");
      Inbox<Mqtt5Publish> blindInbox = Inbox.of(blind);
      blind.connect();
      blind.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient seer = hive5(broker, "seer");
      Inbox<Mqtt5Publish> seerInbox = Inbox.of(seer);
      seer.connect();
      seer.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5(broker, "pub");
      pub.connect();
      pub.publishWith().topic("hidden/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("hidden")).send();
      pub.publishWith().topic("shown/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("shown")).send();
      assertThat(seerInbox.nextPayloads(2)).containsExactly("hidden", "shown");
      assertThat(blindInbox.nextPayload()).isEqualTo("shown");
      pub.disconnect();
      blind.disconnect();
      seer.disconnect();
    }
  }

  @Test
  void will_topicNotAuthorized_notPublished() throws Exception {
    // AWS IoT checks iot:Publish for the will topic when the will is sent.
    try (TestBroker broker = broker()) {
      Mqtt5BlockingClient watcher = hive5(broker, "watcher");
      Inbox<Mqtt5Publish> inbox = Inbox.of(watcher);
      watcher.connect();
      watcher.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
      try (RawClient raw = new RawClient(broker.port(), 4)) {
        raw.send(
            raw.connectPacket(
                "willer", true, 60, null, "forbidden/will", utf8("w"), 1, false, null, null));
        raw.expect(RawClient.CONNACK);
      }
      try (RawClient raw = new RawClient(broker.port(), 4)) {
        raw.send(
            raw.connectPacket(
                "willer2", true, 60, null, "allowed/will", utf8("w2"), 1, false, null, null));
        raw.expect(RawClient.CONNACK);
      }
      assertThat(inbox.nextPayload()).isEqualTo("w2");
      watcher.disconnect();
    }
  }
}
