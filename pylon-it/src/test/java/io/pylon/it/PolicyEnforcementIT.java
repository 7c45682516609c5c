package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.MQTTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.pylon.domain.AwsAccount;
import io.pylon.it.harness.AwsCli;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.Device;
import io.pylon.it.harness.PylonServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.PublishResult;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.ConnAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;

/**
 * AWS IoT policies enforced on devices, set up the way a user sets them up: with the AWS CLI
 * (create-keys-and-certificate, create-thing, attach-thing-principal, create-policy, attach-policy)
 * and then a real MQTT client on mutual TLS with the certificate and key the CLI returned. The
 * policy uses policy variables, so each device is confined to {@code devices/<its client id>/...}
 * and may connect only as its thing. Changes made with the CLI (new default versions, detached
 * policies, certificate status, thing attributes, thing groups) must reach live connections within
 * seconds; test-authorization and get-effective-policies must agree with what the broker did.
 */
class PolicyEnforcementIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static final long TIMEOUT = 10;

  private static AwsCli aws;
  private static String arn;

  private final List<Mqtt5AsyncClient> clients5 = new ArrayList<>();
  private final List<Mqtt3AsyncClient> clients3 = new ArrayList<>();

  /** One policy for many devices, as policy variables allow; created by {@link #setUp}. */
  private static final String SHARED_POLICY = "pe-device-policy";

  @BeforeAll
  static void setUp() {
    aws = AwsCli.of(pylon);
    AwsAccount account = pylon.server().account();
    arn = "arn:aws:iot:" + account.region() + ":" + account.accountId() + ":";
    ok(
        aws.run(
            "iot",
            "create-policy",
            "--policy-name",
            SHARED_POLICY,
            "--policy-document",
            restrictivePolicy()));
  }

  @AfterEach
  void disconnectAll() {
    for (Mqtt5AsyncClient c : clients5) {
      if (c.getState().isConnected()) {
        c.disconnect();
      }
    }
    for (Mqtt3AsyncClient c : clients3) {
      if (c.getState().isConnected()) {
        c.disconnect();
      }
    }
  }

  /**
   * Connect only as the attached thing; publish and receive under {@code devices/<client id>/},
   * subscribe to filters there; never publish to {@code .../forbidden}, receive {@code .../secret}
   * or subscribe under {@code .../private/}.
   */
  private static String restrictivePolicy() {
    return document(
        statement("Allow", "iot:Connect", arn + "client/${iot:Connection.Thing.ThingName}"),
        statement(
            "Allow", "[\"iot:Publish\",\"iot:Receive\"]", arn + "topic/devices/${iot:ClientId}/*"),
        statement("Allow", "iot:Subscribe", arn + "topicfilter/devices/${iot:ClientId}/*"),
        statement("Deny", "iot:Publish", arn + "topic/devices/${iot:ClientId}/forbidden"),
        statement("Deny", "iot:Receive", arn + "topic/devices/${iot:ClientId}/secret"),
        statement("Deny", "iot:Subscribe", arn + "topicfilter/devices/${iot:ClientId}/private/*"));
  }

  /** The restrictive policy without any right to publish. */
  private static String noPublishPolicy() {
    return document(
        statement("Allow", "iot:Connect", arn + "client/${iot:Connection.Thing.ThingName}"),
        statement("Allow", "iot:Receive", arn + "topic/devices/${iot:ClientId}/*"),
        statement("Allow", "iot:Subscribe", arn + "topicfilter/devices/${iot:ClientId}/*"));
  }

  // ---- connect ------------------------------------------------------------------------------

  @Test
  void connect_asItsThing_isAllowed_anyOtherClientIdIsNotAuthorized_mqtt5() throws Exception {
    Provisioned p = provision("pe-connect5", SHARED_POLICY);

    Mqtt5AsyncClient asThing = connect5(p.device(), p.thingName());
    assertThat(asThing.getState().isConnected()).isTrue();

    Throwable refused = connectFailure5(p.device(), "pe-connect5-impostor");
    assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
    assertThat(((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode())
        .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    assertThat(asThing.getState().isConnected()).isTrue();
  }

  // AWS IoT (and Pylon's aws profile) refuses a second CONNECT of one client id within a second,
  // so MQTT 3.1.1 gets its own thing rather than reconnecting as the MQTT 5 test's.
  @Test
  void connect_asItsThing_isAllowed_anyOtherClientIdIsNotAuthorized_mqtt311() throws Exception {
    Provisioned p = provision("pe-connect311", SHARED_POLICY);

    Mqtt3AsyncClient asThing = connect3(p.device(), p.thingName());
    assertThat(asThing.getState().isConnected()).isTrue();

    Mqtt3AsyncClient impostor =
        Clients.hive3Tls("pe-connect311-impostor", pylon.port(MQTTS), p.device(), List.of());
    Throwable refused =
        unwrap(catchThrowable(() -> impostor.connect().get(TIMEOUT, TimeUnit.SECONDS)));
    assertThat(refused).isInstanceOf(Mqtt3ConnAckException.class);
    assertThat(((Mqtt3ConnAckException) refused).getMqttMessage().getReturnCode())
        .isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED);
  }

  // ---- publish ------------------------------------------------------------------------------

  @Test
  void publish_allowedTopicIsDelivered_deniedTopicIsPubAckNotAuthorizedInMqtt5() throws Exception {
    Provisioned p = provision("pe-publish", SHARED_POLICY);
    String base = "devices/" + p.thingName() + "/";
    Mqtt5AsyncClient client = connect5(p.device(), p.thingName());
    Inbox inbox = Inbox.subscribe(client, base + "#");

    assertThat(publish5(client, base + "forbidden", "denied"))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    // Outside its own tree: not allowed by anything (an implicit deny), refused the same way.
    assertThat(publish5(client, "devices/someone-else/status", "elsewhere"))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    // Retaining needs iot:RetainPublish as well, which the policy does not give.
    assertThat(
            client
                .publishWith()
                .topic(base + "status")
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .payload(utf8("retained"))
                .send()
                .handle((r, e) -> e)
                .get(TIMEOUT, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            Mqtt5PubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
    assertThat(publish5(client, base + "status", "allowed")).matches(c -> !c.isError(), "accepted");

    inbox.awaitPayloads("allowed");
    assertThat(inbox.payloads()).containsExactly("allowed");
    assertThat(client.getState().isConnected()).isTrue();
  }

  @Test
  void publish_deniedTopicInMqtt311_closesTheConnection() throws Exception {
    Provisioned p = provision("pe-publish311", SHARED_POLICY);
    String base = "devices/" + p.thingName() + "/";
    Mqtt3AsyncClient client = connect3(p.device(), p.thingName());
    client
        .publishWith()
        .topic(base + "status")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(utf8("allowed"))
        .send()
        .get(TIMEOUT, TimeUnit.SECONDS);
    assertThat(client.getState().isConnected()).isTrue();

    // MQTT 3.1.1 has no negative PUBACK: as AWS IoT does, the broker closes the connection.
    client
        .publishWith()
        .topic(base + "forbidden")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(utf8("no"))
        .send();

    await().atMost(Duration.ofSeconds(5)).until(() -> !client.getState().isConnected());
  }

  // ---- subscribe and receive ----------------------------------------------------------------

  @Test
  void subscribe_allowedFilterGranted_deniedFiltersNotAuthorizedPerFilter_mqtt5() throws Exception {
    Provisioned p = provision("pe-subscribe", SHARED_POLICY);
    String base = "devices/" + p.thingName() + "/";

    Mqtt5AsyncClient client5 = connect5(p.device(), p.thingName());
    Throwable failure5 =
        unwrap(
            catchThrowable(
                () ->
                    client5
                        .subscribeWith()
                        .addSubscription()
                        .topicFilter(base + "cmd/#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .applySubscription()
                        .addSubscription()
                        .topicFilter(base + "private/keys")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .applySubscription()
                        .addSubscription()
                        .topicFilter("devices/someone-else/#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .applySubscription()
                        .send()
                        .get(TIMEOUT, TimeUnit.SECONDS)));
    assertThat(failure5).isInstanceOf(Mqtt5SubAckException.class);
    assertThat(((Mqtt5SubAckException) failure5).getMqttMessage().getReasonCodes())
        .containsExactly(
            Mqtt5SubAckReasonCode.GRANTED_QOS_1,
            Mqtt5SubAckReasonCode.NOT_AUTHORIZED,
            Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    assertThat(client5.getState().isConnected()).isTrue();
  }

  @Test
  void subscribe_deniedFilterInMqtt311_isAFailureReturnCode() throws Exception {
    Provisioned p = provision("pe-subscribe311", SHARED_POLICY);
    String base = "devices/" + p.thingName() + "/";

    Mqtt3AsyncClient client3 = connect3(p.device(), p.thingName());
    Throwable failure3 =
        unwrap(
            catchThrowable(
                () ->
                    client3
                        .subscribeWith()
                        .addSubscription()
                        .topicFilter(base + "cmd/#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .applySubscription()
                        .addSubscription()
                        .topicFilter(base + "private/keys")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .applySubscription()
                        .send()
                        .get(TIMEOUT, TimeUnit.SECONDS)));
    assertThat(failure3).isInstanceOf(Mqtt3SubAckException.class);
    assertThat(((Mqtt3SubAckException) failure3).getMqttMessage().getReturnCodes())
        .containsExactly(
            Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1, Mqtt3SubAckReturnCode.FAILURE);
    assertThat(client3.getState().isConnected()).isTrue();
  }

  @Test
  void receive_deniedTopic_dropsOnlyThatDelivery() throws Exception {
    Provisioned p = provision("pe-receive", SHARED_POLICY);
    String base = "devices/" + p.thingName() + "/";
    Mqtt5AsyncClient client = connect5(p.device(), p.thingName());
    // The wildcard is allowed by the topicfilter statement; Receive is denied on .../secret only.
    Inbox inbox = Inbox.subscribe(client, base + "#");

    assertThat(publish5(client, base + "secret", "hidden")).matches(c -> !c.isError(), "accepted");
    assertThat(publish5(client, base + "open", "shown")).matches(c -> !c.isError(), "accepted");

    // QoS 1 from one publisher arrives in order: once "shown" is here, "hidden" would have been.
    inbox.awaitPayloads("shown");
    assertThat(inbox.payloads()).containsExactly("shown");
    assertThat(client.getState().isConnected()).isTrue();
  }

  @Test
  void receive_deniedTopic_holdsForRetainedMessagesToo() throws Exception {
    Provisioned p = provision("pe-retained", SHARED_POLICY);
    String base = "devices/" + p.thingName() + "/";
    // The device may not retain (no iot:RetainPublish); an unrestricted one does it for it.
    Device operator = pylon.device("pe-operator");
    Mqtt5AsyncClient publisher = connect5(operator, "pe-operator");
    for (String[] message :
        new String[][] {{"secret", "retained hidden"}, {"open", "retained shown"}}) {
      publisher
          .publishWith()
          .topic(base + message[0])
          .qos(MqttQos.AT_LEAST_ONCE)
          .retain(true)
          .payload(utf8(message[1]))
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
    }

    // AWS IoT sends retained messages only to subscriptions of their exact topic.
    Mqtt5AsyncClient client = connect5(p.device(), p.thingName());
    Inbox hidden = Inbox.subscribe(client, base + "secret");
    Inbox shown = Inbox.subscribe(client, base + "open");
    shown.awaitPayloads("retained shown");
    // A live message after the retained ones: once it is here, the retained ones were sent.
    assertThat(publish5(client, base + "secret", "live")).matches(c -> !c.isError(), "accepted");
    assertThat(publish5(client, base + "open", "live")).matches(c -> !c.isError(), "accepted");
    shown.awaitPayloads("live");
    assertThat(hidden.payloads()).isEmpty();
    assertThat(shown.payloads()).containsExactly("retained shown", "live");
  }

  // ---- live changes -------------------------------------------------------------------------

  @Test
  void newDefaultPolicyVersionWithoutPublish_refusesTheNextPublishOfALiveConnection()
      throws Exception {
    Provisioned p = provision("pe-version", restrictivePolicy());
    String topic = "devices/" + p.thingName() + "/status";
    Mqtt5AsyncClient client = connect5(p.device(), p.thingName());
    assertThat(publish5(client, topic, "before")).matches(c -> !c.isError(), "accepted");

    AwsCli.Result version =
        aws.run(
            "iot",
            "create-policy-version",
            "--policy-name",
            p.policyName(),
            "--policy-document",
            noPublishPolicy(),
            "--set-as-default");
    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.json().path("policyVersionId").asText()).isEqualTo("2");
    assertThat(version.json().path("isDefaultVersion").asBoolean()).isTrue();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> publish5(client, topic, "after") == Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(client.getState().isConnected()).isTrue();
    // What the broker did is what test-authorization says.
    assertThat(testAuthorization(p, p.thingName(), "iot:Publish", arn + "topic/" + topic))
        .isEqualTo("IMPLICIT_DENY");

    // Back to version 1: the right to publish returns to the same connection.
    ok(
        aws.run(
            "iot",
            "set-default-policy-version",
            "--policy-name",
            p.policyName(),
            "--policy-version-id",
            "1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> !publish5(client, topic, "again").isError());
    assertThat(testAuthorization(p, p.thingName(), "iot:Publish", arn + "topic/" + topic))
        .isEqualTo("ALLOWED");
  }

  @Test
  void detachPolicy_refusesTheNextActionOfALiveConnection() throws Exception {
    Provisioned p = provision("pe-detach", SHARED_POLICY);
    String base = "devices/" + p.thingName() + "/";
    Mqtt5AsyncClient client = connect5(p.device(), p.thingName());
    assertThat(publish5(client, base + "status", "before")).matches(c -> !c.isError(), "accepted");

    AwsCli.Result detach =
        aws.run(
            "iot",
            "detach-policy",
            "--policy-name",
            p.policyName(),
            "--target",
            p.certificateArn());
    assertThat(detach.exitCode()).as(detach.toString()).isZero();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                publish5(client, base + "status", "after") == Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    Throwable subscribe =
        unwrap(
            catchThrowable(
                () ->
                    client
                        .subscribeWith()
                        .topicFilter(base + "cmd")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send()
                        .get(TIMEOUT, TimeUnit.SECONDS)));
    assertThat(((Mqtt5SubAckException) subscribe).getMqttMessage().getReasonCodes())
        .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    assertThat(
            aws.run("iot", "list-attached-policies", "--target", p.certificateArn())
                .json()
                .path("policies"))
        .isEmpty();
    assertThat(connectFailure5(p.device(), p.thingName()))
        .isInstanceOf(Mqtt5ConnAckException.class);
  }

  @Test
  void certificateMadeInactive_disconnectsTheDeviceWithinSeconds() throws Exception {
    Provisioned p = provision("pe-inactive", SHARED_POLICY);
    Mqtt5AsyncClient client = connect5(p.device(), p.thingName());

    AwsCli.Result update =
        aws.run(
            "iot",
            "update-certificate",
            "--certificate-id",
            p.certificateId(),
            "--new-status",
            "INACTIVE");
    assertThat(update.exitCode()).as(update.toString()).isZero();

    await().atMost(Duration.ofSeconds(5)).until(() -> !client.getState().isConnected());
    assertThat(connectFailure5(p.device(), p.thingName())).isNotNull();
    assertThat(
            aws.run("iot", "describe-certificate", "--certificate-id", p.certificateId())
                .json()
                .path("certificateDescription")
                .path("status")
                .asText())
        .isEqualTo("INACTIVE");
  }

  @Test
  void thingAttributeVariable_followsUpdateThingOnALiveConnection() throws Exception {
    // A common AWS pattern: any client id, as long as it is the thing attached to the
    // certificate, and topics named after a thing attribute.
    String policy =
        document(
            "{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\""
                + arn
                + "client/*\",\"Condition\":{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"true\"}}}",
            statement(
                "Allow",
                "iot:Publish",
                arn + "topic/rooms/${iot:Connection.Thing.Attributes[room]}/*"));
    Provisioned p = provision("pe-roomy", policy);
    ok(
        aws.run(
            "iot",
            "update-thing",
            "--thing-name",
            p.thingName(),
            "--attribute-payload",
            "{\"attributes\":{\"room\":\"kitchen\"}}"));
    assertThat(connectFailure5(p.device(), "pe-roomy-not-attached"))
        .isInstanceOf(Mqtt5ConnAckException.class);
    Mqtt5AsyncClient client = connect5(p.device(), p.thingName());
    assertThat(publish5(client, "rooms/kitchen/temperature", "21"))
        .matches(c -> !c.isError(), "accepted");
    assertThat(publish5(client, "rooms/hall/temperature", "19"))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);

    ok(
        aws.run(
            "iot",
            "update-thing",
            "--thing-name",
            p.thingName(),
            "--attribute-payload",
            "{\"attributes\":{\"room\":\"hall\"}}"));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !publish5(client, "rooms/hall/temperature", "19").isError());
    assertThat(publish5(client, "rooms/kitchen/temperature", "21"))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);

    // Detached from its certificate, the thing's attributes no longer apply to the connection.
    ok(
        aws.run(
            "iot",
            "detach-thing-principal",
            "--thing-name",
            p.thingName(),
            "--principal",
            p.certificateArn()));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                publish5(client, "rooms/hall/temperature", "19")
                    == Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
  }

  // ---- thing groups -------------------------------------------------------------------------

  @Test
  void policyOfAParentThingGroup_appliesToAThingInAChildGroup_untilTheThingIsRemoved()
      throws Exception {
    // No policy on the certificate itself: only the group's.
    Provisioned p = provision("pe-grouped", null);
    String base = "devices/" + p.thingName() + "/";
    assertThat(connectFailure5(p.device(), p.thingName()))
        .isInstanceOf(Mqtt5ConnAckException.class);

    ok(aws.run("iot", "create-thing-group", "--thing-group-name", "pe-fleet"));
    ok(
        aws.run(
            "iot",
            "create-thing-group",
            "--thing-group-name",
            "pe-fleet-east",
            "--parent-group-name",
            "pe-fleet"));
    ok(
        aws.run(
            "iot",
            "add-thing-to-thing-group",
            "--thing-group-name",
            "pe-fleet-east",
            "--thing-name",
            p.thingName()));
    ok(
        aws.run(
            "iot",
            "create-policy",
            "--policy-name",
            "pe-fleet-policy",
            "--policy-document",
            restrictivePolicy()));
    String parentArn =
        aws.run("iot", "describe-thing-group", "--thing-group-name", "pe-fleet")
            .json()
            .path("thingGroupArn")
            .asText();
    ok(aws.run("iot", "attach-policy", "--policy-name", "pe-fleet-policy", "--target", parentArn));

    assertThat(effectivePolicyNames(p)).containsExactly("pe-fleet-policy");
    assertThat(testAuthorization(p, p.thingName(), "iot:Connect", arn + "client/" + p.thingName()))
        .isEqualTo("ALLOWED");
    Mqtt5AsyncClient client = connect5(p.device(), p.thingName());
    assertThat(publish5(client, base + "status", "grouped")).matches(c -> !c.isError(), "accepted");

    ok(
        aws.run(
            "iot",
            "remove-thing-from-thing-group",
            "--thing-group-name",
            "pe-fleet-east",
            "--thing-name",
            p.thingName()));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                publish5(client, base + "status", "ungrouped")
                    == Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(effectivePolicyNames(p)).isEmpty();
    assertThat(testAuthorization(p, p.thingName(), "iot:Connect", arn + "client/" + p.thingName()))
        .isEqualTo("IMPLICIT_DENY");
    client.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
    assertThat(connectFailure5(p.device(), p.thingName()))
        .isInstanceOf(Mqtt5ConnAckException.class);
  }

  @Test
  void deletingTheThingGroupWithThePolicy_takesItFromALiveConnection() throws Exception {
    Provisioned p = provision("pe-disbanded", null);
    String base = "devices/" + p.thingName() + "/";
    String groupArn =
        ok(aws.run("iot", "create-thing-group", "--thing-group-name", "pe-disbanded-group"))
            .json()
            .path("thingGroupArn")
            .asText();
    ok(
        aws.run(
            "iot",
            "add-thing-to-thing-group",
            "--thing-group-name",
            "pe-disbanded-group",
            "--thing-name",
            p.thingName()));
    ok(aws.run("iot", "attach-policy", "--policy-name", SHARED_POLICY, "--target", groupArn));
    Mqtt5AsyncClient client = connect5(p.device(), p.thingName());
    assertThat(publish5(client, base + "status", "grouped")).matches(c -> !c.isError(), "accepted");

    ok(aws.run("iot", "delete-thing-group", "--thing-group-name", "pe-disbanded-group"));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                publish5(client, base + "status", "disbanded")
                    == Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(effectivePolicyNames(p)).isEmpty();
    // A group of the same name is a new group: the old attachment does not come back with it.
    ok(aws.run("iot", "create-thing-group", "--thing-group-name", "pe-disbanded-group"));
    assertThat(
            ok(aws.run("iot", "list-targets-for-policy", "--policy-name", SHARED_POLICY))
                .json()
                .path("targets")
                .toString())
        .doesNotContain(":thinggroup/pe-disbanded-group");
  }

  // ---- the AWS IoT Device SDK ----------------------------------------------------------------

  @Test
  void awsIotDeviceSdk_withTheFilesTheCliWrote_isConfinedByThePolicy() throws Exception {
    Provisioned p = provision("pe-sdk", SHARED_POLICY);
    String base = "devices/" + p.thingName() + "/";

    SdkEvents events = new SdkEvents();
    try (AwsIotMqtt5ClientBuilder builder = sdkBuilder(p, p.thingName(), events);
        Mqtt5Client client = builder.build()) {
      client.start();
      try {
        assertThat(events.connected.get(TIMEOUT, TimeUnit.SECONDS).getReasonCode())
            .isEqualTo(ConnAckPacket.ConnectReasonCode.SUCCESS);

        assertThat(sdkPublish(client, base + "status").getReasonCode())
            .isIn(
                PubAckPacket.PubAckReasonCode.SUCCESS,
                PubAckPacket.PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        assertThat(sdkPublish(client, base + "forbidden").getReasonCode())
            .isEqualTo(PubAckPacket.PubAckReasonCode.NOT_AUTHORIZED);
        SubAckPacket subAck =
            client
                .subscribe(
                    new SubscribePacket.SubscribePacketBuilder()
                        .withSubscription(base + "cmd", QOS.AT_LEAST_ONCE)
                        .withSubscription(base + "private/keys", QOS.AT_LEAST_ONCE)
                        .build())
                .get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(subAck.getReasonCodes())
            .containsExactly(
                SubAckPacket.SubAckReasonCode.GRANTED_QOS_1,
                SubAckPacket.SubAckReasonCode.NOT_AUTHORIZED);
      } finally {
        client.stop();
        events.stopped.get(TIMEOUT, TimeUnit.SECONDS);
      }
    }

    SdkEvents impostorEvents = new SdkEvents();
    try (AwsIotMqtt5ClientBuilder builder = sdkBuilder(p, "pe-sdk-impostor", impostorEvents);
        Mqtt5Client client = builder.build()) {
      client.start();
      try {
        ConnAckPacket refused = impostorEvents.refused.get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(refused).isNotNull();
        assertThat(refused.getReasonCode())
            .isEqualTo(ConnAckPacket.ConnectReasonCode.NOT_AUTHORIZED);
      } finally {
        client.stop();
        impostorEvents.stopped.get(TIMEOUT, TimeUnit.SECONDS);
      }
    }
  }

  private static AwsIotMqtt5ClientBuilder sdkBuilder(
      Provisioned p, String clientId, SdkEvents events) {
    AwsIotMqtt5ClientBuilder builder =
        AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
            "127.0.0.1", p.certificateFile().toString(), p.privateKeyFile().toString());
    builder
        .withCertificateAuthorityFromPath(null, pylon.caFile().toString())
        .withPort((long) pylon.port(MQTTS))
        .withConnectProperties(
            new ConnectPacket.ConnectPacketBuilder()
                .withClientId(clientId)
                .withKeepAliveIntervalSeconds(60L))
        .withLifeCycleEvents(events)
        .withConnackTimeoutMs(10_000L)
        .withAckTimeoutSeconds(TIMEOUT);
    return builder;
  }

  private static PubAckPacket sdkPublish(Mqtt5Client client, String topic) throws Exception {
    PublishResult result =
        client
            .publish(
                new PublishPacket.PublishPacketBuilder()
                    .withTopic(topic)
                    .withQOS(QOS.AT_LEAST_ONCE)
                    .withPayload(utf8("from the sdk"))
                    .build())
            .get(TIMEOUT, TimeUnit.SECONDS);
    assertThat(result.getType()).isEqualTo(PublishResult.PublishResultType.PUBACK);
    return result.getResultPubAck();
  }

  /** The SDK client's lifecycle, as futures. */
  private static final class SdkEvents implements Mqtt5ClientOptions.LifecycleEvents {
    final CompletableFuture<ConnAckPacket> connected = new CompletableFuture<>();
    final CompletableFuture<ConnAckPacket> refused = new CompletableFuture<>();
    final CompletableFuture<Void> stopped = new CompletableFuture<>();

    @Override
    public void onAttemptingConnect(Mqtt5Client client, OnAttemptingConnectReturn r) {}

    @Override
    public void onConnectionSuccess(Mqtt5Client client, OnConnectionSuccessReturn r) {
      connected.complete(r.getConnAckPacket());
    }

    @Override
    public void onConnectionFailure(Mqtt5Client client, OnConnectionFailureReturn r) {
      refused.complete(r.getConnAckPacket());
      connected.completeExceptionally(
          new IllegalStateException("connection failed: error code " + r.getErrorCode()));
    }

    @Override
    public void onDisconnection(Mqtt5Client client, OnDisconnectionReturn r) {}

    @Override
    public void onStopped(Mqtt5Client client, OnStoppedReturn r) {
      stopped.complete(null);
    }
  }

  // ---- the control plane's view agrees with the broker's --------------------------------------

  @Test
  void testAuthorizationAndEffectivePolicies_answerAsTheBrokerDecided() throws Exception {
    Provisioned p = provision("pe-simulated", SHARED_POLICY);
    String t = p.thingName();

    assertThat(effectivePolicyNames(p)).containsExactly(p.policyName());
    AwsCli.Result effective =
        aws.run(
            "iot", "get-effective-policies", "--principal", p.certificateArn(), "--thing-name", t);
    assertThat(effective.json().path("effectivePolicies").get(0).path("policyDocument").asText())
        .contains("${iot:Connection.Thing.ThingName}");

    // What-if: without the attached policy nothing is allowed; with the allow-all one added,
    // the explicit deny still wins.
    JsonNode skipped =
        ok(aws.run(
                "iot",
                "test-authorization",
                "--principal",
                p.certificateArn(),
                "--client-id",
                t,
                "--policy-names-to-skip",
                SHARED_POLICY,
                "--auth-infos",
                authInfo("PUBLISH", arn + "topic/devices/" + t + "/status")))
            .json()
            .path("authResults")
            .get(0);
    assertThat(skipped.path("authDecision").asText()).isEqualTo("IMPLICIT_DENY");
    pylon.device("pe-simulated-helper"); // creates the allow-all policy
    JsonNode added =
        ok(aws.run(
                "iot",
                "test-authorization",
                "--principal",
                p.certificateArn(),
                "--client-id",
                t,
                "--policy-names-to-add",
                PylonServerExtension.ALLOW_ALL_POLICY,
                "--auth-infos",
                authInfo("PUBLISH", arn + "topic/devices/" + t + "/forbidden")))
            .json()
            .path("authResults")
            .get(0);
    assertThat(added.path("authDecision").asText()).isEqualTo("EXPLICIT_DENY");
    assertThat(
            added
                .path("denied")
                .path("explicitDeny")
                .path("policies")
                .get(0)
                .path("policyName")
                .asText())
        .isEqualTo(SHARED_POLICY);

    assertThat(testAuthorization(p, t, "iot:Connect", arn + "client/" + t)).isEqualTo("ALLOWED");
    assertThat(
            testAuthorization(
                p, "pe-simulated-impostor", "iot:Connect", arn + "client/pe-simulated-impostor"))
        .isEqualTo("IMPLICIT_DENY");
    assertThat(testAuthorization(p, t, "iot:Publish", arn + "topic/devices/" + t + "/status"))
        .isEqualTo("ALLOWED");
    assertThat(testAuthorization(p, t, "iot:Publish", arn + "topic/devices/" + t + "/forbidden"))
        .isEqualTo("EXPLICIT_DENY");
    assertThat(testAuthorization(p, t, "iot:Receive", arn + "topic/devices/" + t + "/secret"))
        .isEqualTo("EXPLICIT_DENY");
    assertThat(testAuthorization(p, t, "iot:Subscribe", arn + "topicfilter/devices/" + t + "/#"))
        .isEqualTo("ALLOWED");
    assertThat(
            testAuthorization(
                p, t, "iot:Subscribe", arn + "topicfilter/devices/" + t + "/private/keys"))
        .isEqualTo("EXPLICIT_DENY");

    // And the broker agrees, on the same device.
    Mqtt5AsyncClient client = connect5(p.device(), t);
    assertThat(publish5(client, "devices/" + t + "/status", "ok"))
        .matches(c -> !c.isError(), "accepted");
    assertThat(publish5(client, "devices/" + t + "/forbidden", "no"))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(connectFailure5(p.device(), "pe-simulated-impostor"))
        .isInstanceOf(Mqtt5ConnAckException.class);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** What the CLI set up for one device. */
  private record Provisioned(
      String thingName,
      String certificateId,
      String certificateArn,
      String policyName,
      Device device,
      Path certificateFile,
      Path privateKeyFile) {}

  /**
   * A thing, a new certificate and key from the server (files written as a user would save them),
   * the certificate attached to the thing, and (unless {@code policy} is null) a policy attached to
   * the certificate: {@link #SHARED_POLICY}, or else a new one named after the thing with {@code
   * policy} as its document.
   */
  private static Provisioned provision(String thingName, String policy) throws Exception {
    AwsCli.Result created = ok(aws.run("iot", "create-keys-and-certificate", "--set-as-active"));
    JsonNode json = created.json();
    String certificateArn = json.path("certificateArn").asText();
    String certificateId = json.path("certificateId").asText();
    assertThat(certificateArn).isEqualTo(arn + "cert/" + certificateId);

    Path dir = pylon.scratch("cli-devices");
    Path certificateFile = dir.resolve(thingName + "-certificate.pem.crt");
    Path keyFile = dir.resolve(thingName + "-private.pem.key");
    Files.writeString(
        certificateFile, json.path("certificatePem").asText(), StandardCharsets.US_ASCII);
    Files.writeString(
        keyFile, json.path("keyPair").path("PrivateKey").asText(), StandardCharsets.US_ASCII);
    Device device =
        Device.fromPem(
            thingName,
            Files.readString(certificateFile),
            Files.readString(keyFile),
            pylon.caFile(),
            pylon.scratch("cli-device-stores"));

    ok(aws.run("iot", "create-thing", "--thing-name", thingName));
    ok(
        aws.run(
            "iot",
            "attach-thing-principal",
            "--thing-name",
            thingName,
            "--principal",
            certificateArn));
    String policyName = SHARED_POLICY.equals(policy) ? SHARED_POLICY : thingName + "-policy";
    if (policy != null) {
      if (!SHARED_POLICY.equals(policy)) {
        ok(
            aws.run(
                "iot", "create-policy", "--policy-name", policyName, "--policy-document", policy));
      }
      ok(aws.run("iot", "attach-policy", "--policy-name", policyName, "--target", certificateArn));
    }
    return new Provisioned(
        thingName, certificateId, certificateArn, policyName, device, certificateFile, keyFile);
  }

  private static AwsCli.Result ok(AwsCli.Result result) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result;
  }

  /** The names of the device's effective policies, as get-effective-policies answers. */
  private static List<String> effectivePolicyNames(Provisioned p) {
    AwsCli.Result result =
        ok(
            aws.run(
                "iot",
                "get-effective-policies",
                "--principal",
                p.certificateArn(),
                "--thing-name",
                p.thingName()));
    List<String> names = new ArrayList<>();
    result.json().path("effectivePolicies").forEach(e -> names.add(e.path("policyName").asText()));
    return names;
  }

  /** The authDecision test-authorization gives for one action of the device's certificate. */
  private static String testAuthorization(
      Provisioned p, String clientId, String action, String resource) {
    String actionType = action.substring("iot:".length()).toUpperCase(Locale.ROOT);
    AwsCli.Result result =
        ok(
            aws.run(
                "iot",
                "test-authorization",
                "--principal",
                p.certificateArn(),
                "--client-id",
                clientId,
                "--auth-infos",
                authInfo(actionType, resource)));
    JsonNode first = result.json().path("authResults").get(0);
    assertThat(first).as(result.toString()).isNotNull();
    return first.path("authDecision").asText();
  }

  private static String authInfo(String actionType, String resource) {
    return "[{\"actionType\":\"" + actionType + "\",\"resources\":[\"" + resource + "\"]}]";
  }

  private Mqtt5AsyncClient connect5(Device device, String clientId) throws Exception {
    Mqtt5AsyncClient client = Clients.hive5Tls(clientId, pylon.port(MQTTS), device, List.of());
    clients5.add(client);
    client.connect().get(TIMEOUT, TimeUnit.SECONDS);
    return client;
  }

  private Mqtt3AsyncClient connect3(Device device, String clientId) throws Exception {
    Mqtt3AsyncClient client = Clients.hive3Tls(clientId, pylon.port(MQTTS), device, List.of());
    clients3.add(client);
    client.connect().get(TIMEOUT, TimeUnit.SECONDS);
    return client;
  }

  /** Why an MQTT 5 connection with this client id fails (fails the test if it succeeds). */
  private static Throwable connectFailure5(Device device, String clientId) {
    Mqtt5AsyncClient client = Clients.hive5Tls(clientId, pylon.port(MQTTS), device, List.of());
    Throwable failure = catchThrowable(() -> client.connect().get(TIMEOUT, TimeUnit.SECONDS));
    if (failure == null) {
      client.disconnect();
      throw new AssertionError(clientId + " connected but should have been refused");
    }
    return unwrap(failure);
  }

  /** Publishes at QoS 1 and answers the PUBACK's reason code, success or failure. */
  private static Mqtt5PubAckReasonCode publish5(Mqtt5AsyncClient client, String topic, String text)
      throws Exception {
    CompletableFuture<Mqtt5PublishResult> sent =
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8(text)).send();
    Mqtt5PublishResult result;
    try {
      result = sent.get(TIMEOUT, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Mqtt5PubAckException refused) {
        return refused.getMqttMessage().getReasonCode();
      }
      throw e;
    }
    if (result.getError().isPresent()
        && result.getError().get() instanceof Mqtt5PubAckException refused) {
      return refused.getMqttMessage().getReasonCode();
    }
    return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String document(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  private static String statement(String effect, String action, String resource) {
    String actionJson = action.startsWith("[") ? action : "\"" + action + "\"";
    return "{\"Effect\":\""
        + effect
        + "\",\"Action\":"
        + actionJson
        + ",\"Resource\":\""
        + resource
        + "\"}";
  }

  /** The payloads a client receives on one subscription, in order. */
  private static final class Inbox {
    private final List<String> payloads = new CopyOnWriteArrayList<>();

    static Inbox subscribe(Mqtt5AsyncClient client, String filter) throws Exception {
      Inbox inbox = new Inbox();
      var subAck =
          client
              .subscribeWith()
              .topicFilter(filter)
              .qos(MqttQos.AT_LEAST_ONCE)
              .callback(
                  (Mqtt5Publish m) ->
                      inbox.payloads.add(new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8)))
              .send()
              .get(TIMEOUT, TimeUnit.SECONDS);
      assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
      return inbox;
    }

    void awaitPayloads(String last) {
      await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> payloads.contains(last));
    }

    List<String> payloads() {
      return List.copyOf(payloads);
    }
  }
}
