package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.HTTPS;
import static io.pylon.it.harness.PylonServerExtension.MQTTS;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.it.harness.AwsCli;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.Device;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RawHttp;
import io.pylon.it.harness.RoundTrip;
import io.pylon.it.harness.Tls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.crt.CrtResource;
import software.amazon.awssdk.crt.io.ClientBootstrap;
import software.amazon.awssdk.crt.mqtt.MqttClientConnection;
import software.amazon.awssdk.crt.mqtt.QualityOfService;
import software.amazon.awssdk.iot.AwsIotMqttConnectionBuilder;
import software.amazon.awssdk.iot.iotshadow.IotShadowClient;
import software.amazon.awssdk.iot.iotshadow.model.DeleteShadowRequest;
import software.amazon.awssdk.iot.iotshadow.model.DeleteShadowResponse;
import software.amazon.awssdk.iot.iotshadow.model.DeleteShadowSubscriptionRequest;
import software.amazon.awssdk.iot.iotshadow.model.GetShadowRequest;
import software.amazon.awssdk.iot.iotshadow.model.GetShadowResponse;
import software.amazon.awssdk.iot.iotshadow.model.GetShadowSubscriptionRequest;
import software.amazon.awssdk.iot.iotshadow.model.ShadowDeltaUpdatedEvent;
import software.amazon.awssdk.iot.iotshadow.model.ShadowDeltaUpdatedSubscriptionRequest;
import software.amazon.awssdk.iot.iotshadow.model.ShadowState;
import software.amazon.awssdk.iot.iotshadow.model.ShadowUpdatedEvent;
import software.amazon.awssdk.iot.iotshadow.model.ShadowUpdatedSubscriptionRequest;
import software.amazon.awssdk.iot.iotshadow.model.UpdateNamedShadowRequest;
import software.amazon.awssdk.iot.iotshadow.model.UpdateNamedShadowSubscriptionRequest;
import software.amazon.awssdk.iot.iotshadow.model.UpdateShadowRequest;
import software.amazon.awssdk.iot.iotshadow.model.UpdateShadowResponse;
import software.amazon.awssdk.iot.iotshadow.model.UpdateShadowSubscriptionRequest;

/**
 * The Device Shadow service end to end: the AWS IoT Device SDK for Java v2 shadow client on mutual
 * TLS, the AWS CLI's iot-data shadow commands on the HTTPS listener, both on the same shadows. A
 * REST update must produce the MQTT answers an MQTT update does.
 */
class ShadowIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static final long TIMEOUT = RoundTrip.TIMEOUT_SECONDS;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Device device;
  private static AwsCli aws;

  @BeforeAll
  static void setUp() {
    device = pylon.device("shadow-device");
    aws = AwsCli.of(pylon);
  }

  @AfterAll
  static void noNativeResourcesLeak() {
    ClientBootstrap.closeStaticDefault();
    CrtResource.waitForNoResources();
  }

  @Test
  void sdkDevice_receivesDeltaOfCliUpdate_reports_gets_namedShadows_deletes() throws Exception {
    String thing = "lamp-" + System.nanoTime();
    try (AwsIotMqttConnectionBuilder builder =
            AwsIotMqttConnectionBuilder.newMtlsBuilderFromPath(
                    device.certificatePem().toString(), device.privateKeyPem().toString())
                .withCertificateAuthorityFromPath(null, device.caFile().toString())
                .withEndpoint("127.0.0.1")
                .withPort(pylon.port(MQTTS))
                .withClientId(clientId("shadow-sdk"))
                .withCleanSession(true)
                .withProtocolOperationTimeoutMs(10_000);
        MqttClientConnection connection = builder.build()) {
      connection.connect().get(TIMEOUT, TimeUnit.SECONDS);
      try {
        IotShadowClient shadow = new IotShadowClient(connection);
        BlockingQueue<ShadowDeltaUpdatedEvent> deltas = new LinkedBlockingQueue<>();
        BlockingQueue<UpdateShadowResponse> updates = new LinkedBlockingQueue<>();
        BlockingQueue<UpdateShadowResponse> namedUpdates = new LinkedBlockingQueue<>();
        BlockingQueue<GetShadowResponse> gets = new LinkedBlockingQueue<>();
        BlockingQueue<DeleteShadowResponse> deletes = new LinkedBlockingQueue<>();
        QualityOfService qos = QualityOfService.AT_LEAST_ONCE;

        ShadowDeltaUpdatedSubscriptionRequest deltaSub =
            new ShadowDeltaUpdatedSubscriptionRequest();
        deltaSub.thingName = thing;
        shadow.SubscribeToShadowDeltaUpdatedEvents(deltaSub, qos, deltas::add)
            .get(TIMEOUT, TimeUnit.SECONDS);
        UpdateShadowSubscriptionRequest updateSub = new UpdateShadowSubscriptionRequest();
        updateSub.thingName = thing;
        shadow.SubscribeToUpdateShadowAccepted(updateSub, qos, updates::add)
            .get(TIMEOUT, TimeUnit.SECONDS);
        UpdateNamedShadowSubscriptionRequest namedSub = new UpdateNamedShadowSubscriptionRequest();
        namedSub.thingName = thing;
        namedSub.shadowName = "cfg";
        shadow.SubscribeToUpdateNamedShadowAccepted(namedSub, qos, namedUpdates::add)
            .get(TIMEOUT, TimeUnit.SECONDS);
        GetShadowSubscriptionRequest getSub = new GetShadowSubscriptionRequest();
        getSub.thingName = thing;
        shadow.SubscribeToGetShadowAccepted(getSub, qos, gets::add).get(TIMEOUT, TimeUnit.SECONDS);
        BlockingQueue<ShadowUpdatedEvent> documents = new LinkedBlockingQueue<>();
        ShadowUpdatedSubscriptionRequest documentsSub = new ShadowUpdatedSubscriptionRequest();
        documentsSub.thingName = thing;
        shadow.SubscribeToShadowUpdatedEvents(documentsSub, qos, documents::add)
            .get(TIMEOUT, TimeUnit.SECONDS);
        DeleteShadowSubscriptionRequest deleteSub = new DeleteShadowSubscriptionRequest();
        deleteSub.thingName = thing;
        shadow.SubscribeToDeleteShadowAccepted(deleteSub, qos, deletes::add)
            .get(TIMEOUT, TimeUnit.SECONDS);

        // An application sets the desired state over REST; the device hears the delta on MQTT.
        Path accepted = pylon.scratch("shadow-cli").resolve("update-1.json");
        AwsCli.Result cli =
            aws.run(
                "iot-data",
                "update-thing-shadow",
                "--thing-name",
                thing,
                "--cli-binary-format",
                "raw-in-base64-out",
                "--payload",
                "{\"state\":{\"desired\":{\"color\":\"blue\",\"level\":7}}}",
                accepted.toString());
        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        JsonNode restAnswer = JSON.readTree(Files.readAllBytes(accepted));
        assertThat(restAnswer.get("version").asInt()).isEqualTo(1);
        assertThat(restAnswer.at("/metadata/desired/color/timestamp").asLong())
            .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));

        ShadowDeltaUpdatedEvent delta = deltas.poll(TIMEOUT, TimeUnit.SECONDS);
        assertThat(delta).as("delta after the REST update").isNotNull();
        assertThat(delta.version).isEqualTo(1);
        assertThat(delta.state).containsEntry("color", "blue");
        assertThat(((Number) delta.state.get("level")).intValue()).isEqualTo(7);
        assertThat(delta.timestamp.getTime() / 1000)
            .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        UpdateShadowResponse restUpdate = updates.poll(TIMEOUT, TimeUnit.SECONDS);
        assertThat(restUpdate).as("update/accepted of the REST update").isNotNull();
        assertThat(restUpdate.version).isEqualTo(1);

        ShadowUpdatedEvent created = documents.poll(TIMEOUT, TimeUnit.SECONDS);
        assertThat(created).as("update/documents of the REST update").isNotNull();
        assertThat(created.previous).isNull();
        assertThat(created.current.version).isEqualTo(1);
        assertThat(created.current.state.desired).containsEntry("color", "blue");

        // The device reports what it did; reported now matches desired, so no delta follows.
        UpdateShadowRequest report = new UpdateShadowRequest();
        report.thingName = thing;
        report.clientToken = "report-1";
        report.state = new ShadowState();
        report.state.reported = new HashMap<>();
        report.state.reported.put("color", "blue");
        report.state.reported.put("level", 7);
        shadow.PublishUpdateShadow(report, qos).get(TIMEOUT, TimeUnit.SECONDS);
        UpdateShadowResponse reported = updates.poll(TIMEOUT, TimeUnit.SECONDS);
        assertThat(reported).isNotNull();
        assertThat(reported.clientToken).isEqualTo("report-1");
        assertThat(reported.version).isEqualTo(2);
        assertThat(reported.state.reported).containsEntry("color", "blue");
        ShadowUpdatedEvent changed = documents.poll(TIMEOUT, TimeUnit.SECONDS);
        assertThat(changed).isNotNull();
        assertThat(changed.previous.version).isEqualTo(1);
        assertThat(changed.previous.state.reported).isNull();
        assertThat(changed.current.version).isEqualTo(2);
        assertThat(changed.current.state.reported).containsEntry("color", "blue");

        GetShadowRequest get = new GetShadowRequest();
        get.thingName = thing;
        get.clientToken = "get-1";
        shadow.PublishGetShadow(get, qos).get(TIMEOUT, TimeUnit.SECONDS);
        GetShadowResponse got = gets.poll(TIMEOUT, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.clientToken).isEqualTo("get-1");
        assertThat(got.version).isEqualTo(2);
        assertThat(got.state.desired).containsEntry("color", "blue");
        assertThat(got.state.reported).containsEntry("color", "blue");
        assertThat(got.state.delta).isNull();
        assertThat(deltas).as("no delta once reported matches desired").isEmpty();

        // The same document over REST.
        Path restGet = accepted.resolveSibling("get.json");
        AwsCli.Result cliGet =
            aws.run("iot-data", "get-thing-shadow", "--thing-name", thing, restGet.toString());
        assertThat(cliGet.exitCode()).as(cliGet.toString()).isZero();
        JsonNode restDocument = JSON.readTree(Files.readAllBytes(restGet));
        assertThat(restDocument.get("version").asInt()).isEqualTo(2);
        assertThat(restDocument.at("/state/reported/level").asInt()).isEqualTo(7);

        // A named shadow, kept apart from the classic one.
        UpdateNamedShadowRequest named = new UpdateNamedShadowRequest();
        named.thingName = thing;
        named.shadowName = "cfg";
        named.clientToken = "named-1";
        named.state = new ShadowState();
        named.state.reported = new HashMap<>();
        named.state.reported.put("firmware", "1.2.3");
        shadow.PublishUpdateNamedShadow(named, qos).get(TIMEOUT, TimeUnit.SECONDS);
        UpdateShadowResponse namedAccepted = namedUpdates.poll(TIMEOUT, TimeUnit.SECONDS);
        assertThat(namedAccepted).isNotNull();
        assertThat(namedAccepted.version).isEqualTo(1);
        AwsCli.Result list =
            aws.run("iot-data", "list-named-shadows-for-thing", "--thing-name", thing);
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.json().get("results").toString()).isEqualTo("[\"cfg\"]");
        Path namedGet = accepted.resolveSibling("named.json");
        aws.run(
            "iot-data",
            "get-thing-shadow",
            "--thing-name",
            thing,
            "--shadow-name",
            "cfg",
            namedGet.toString());
        assertThat(
                JSON.readTree(Files.readAllBytes(namedGet)).at("/state/reported/firmware").asText())
            .isEqualTo("1.2.3");

        // Delete, then the shadow is gone for REST too; a new one continues the version series.
        DeleteShadowRequest delete = new DeleteShadowRequest();
        delete.thingName = thing;
        delete.clientToken = "delete-1";
        shadow.PublishDeleteShadow(delete, qos).get(TIMEOUT, TimeUnit.SECONDS);
        DeleteShadowResponse deleted = deletes.poll(TIMEOUT, TimeUnit.SECONDS);
        assertThat(deleted).isNotNull();
        assertThat(deleted.clientToken).isEqualTo("delete-1");
        assertThat(deleted.version).isEqualTo(2);
        AwsCli.Result missing =
            aws.run(
                "iot-data",
                "get-thing-shadow",
                "--thing-name",
                thing,
                accepted.resolveSibling("missing.json").toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(254);
        assertThat(missing.errorCode()).hasValue("ResourceNotFoundException");

        shadow.PublishUpdateShadow(report, qos).get(TIMEOUT, TimeUnit.SECONDS);
        UpdateShadowResponse recreated = updates.poll(TIMEOUT, TimeUnit.SECONDS);
        assertThat(recreated).isNotNull();
        assertThat(recreated.version).isEqualTo(3);
      } finally {
        connection.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void manyMqttClientsAndTheCli_updatingOneShadowAtOnce_loseNoUpdate() throws Exception {
    String thing = "race-" + System.nanoTime();
    String topic = "$aws/things/" + thing + "/shadow/update";
    // AWS takes 20 requests a second per shadow and 10 in flight per thing (429 beyond), and so
    // does Pylon: 7 devices and 3 REST calls at once stay within both.
    int clients = 7;
    int each = 1;
    int restUpdates = 3;
    List<Mqtt5AsyncClient> connected = new ArrayList<>();
    ExecutorService cliThreads = Executors.newFixedThreadPool(restUpdates);
    try {
      for (int c = 0; c < clients; c++) {
        Mqtt5AsyncClient client =
            Clients.hive5Tls(clientId("shadow-race"), pylon.port(MQTTS), device, List.of());
        client.connect().get(TIMEOUT, TimeUnit.SECONDS);
        connected.add(client);
      }
      List<CompletableFuture<?>> publishes = new ArrayList<>();
      List<Future<AwsCli.Result>> rest = new ArrayList<>();
      for (int r = 0; r < restUpdates; r++) {
        String payload = "{\"state\":{\"desired\":{\"rest" + r + "\":true}}}";
        Path out = pylon.scratch("shadow-race").resolve("rest-" + r + ".json");
        rest.add(
            cliThreads.submit(
                () ->
                    aws.run(
                        "iot-data",
                        "update-thing-shadow",
                        "--thing-name",
                        thing,
                        "--cli-binary-format",
                        "raw-in-base64-out",
                        "--payload",
                        payload,
                        out.toString())));
      }
      for (int i = 1; i <= each; i++) {
        for (int c = 0; c < clients; c++) {
          byte[] payload =
              ("{\"state\":{\"reported\":{\"c" + c + "\":" + i + "}}}")
                  .getBytes(StandardCharsets.UTF_8);
          publishes.add(
              connected
                  .get(c)
                  .publish(
                      Mqtt5Publish.builder()
                          .topic(topic)
                          .qos(MqttQos.AT_LEAST_ONCE)
                          .payload(payload)
                          .build()));
        }
      }
      CompletableFuture.allOf(publishes.toArray(new CompletableFuture<?>[0]))
          .get(TIMEOUT, TimeUnit.SECONDS);
      for (Future<AwsCli.Result> r : rest) {
        AwsCli.Result result = r.get(60, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.toString()).isZero();
      }

      int expectedVersion = clients * each + restUpdates;
      Path out = pylon.scratch("shadow-race").resolve("final.json");
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                aws.run("iot-data", "get-thing-shadow", "--thing-name", thing, out.toString());
                assertThat(JSON.readTree(Files.readAllBytes(out)).get("version").asInt())
                    .isEqualTo(expectedVersion);
              });
      JsonNode state = JSON.readTree(Files.readAllBytes(out)).get("state");
      for (int c = 0; c < clients; c++) {
        assertThat(state.at("/reported/c" + c).asInt()).as("client " + c).isEqualTo(each);
      }
      for (int r = 0; r < restUpdates; r++) {
        assertThat(state.at("/desired/rest" + r).asBoolean()).as("REST update " + r).isTrue();
      }
    } finally {
      cliThreads.shutdownNow();
      for (Mqtt5AsyncClient client : connected) {
        client.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void restErrors_asAwsAnswersThem() throws Exception {
    String thing = "errors-" + System.nanoTime();
    Path dir = pylon.scratch("shadow-errors");

    AwsCli.Result missing =
        aws.run("iot-data", "get-thing-shadow", "--thing-name", thing, dir.resolve("a").toString());
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(254);
    assertThat(missing.errorCode()).hasValue("ResourceNotFoundException");
    assertThat(missing.stderr()).contains("No shadow exists with name: '" + thing + "'");

    AwsCli.Result invalid = update(thing, "{\"state\":", dir.resolve("b"));
    assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(254);
    assertThat(invalid.errorCode()).hasValue("InvalidRequestException");
    assertThat(invalid.stderr()).contains("Invalid JSON");

    assertThat(update(thing, "{\"state\":{\"reported\":{\"a\":1}}}", dir.resolve("c")).exitCode())
        .isZero();
    AwsCli.Result conflict =
        update(thing, "{\"state\":{\"reported\":{\"a\":2}},\"version\":5}", dir.resolve("d"));
    assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(254);
    assertThat(conflict.errorCode()).hasValue("ConflictException");
    assertThat(conflict.stderr()).contains("Version conflict");

    AwsCli.Result tooLarge =
        update(
            thing,
            "{\"state\":{\"reported\":{\"big\":\"" + "x".repeat(9000) + "\"}}}",
            dir.resolve("e"));
    assertThat(tooLarge.exitCode()).as(tooLarge.toString()).isEqualTo(254);
    assertThat(tooLarge.errorCode()).hasValue("RequestEntityTooLargeException");

    AwsCli.Result matching =
        update(thing, "{\"state\":{\"reported\":{\"a\":2}},\"version\":1}", dir.resolve("f"));
    assertThat(matching.exitCode()).as(matching.toString()).isZero();
    assertThat(JSON.readTree(Files.readAllBytes(dir.resolve("f"))).get("version").asInt())
        .isEqualTo(2);
  }

  @Test
  void answers_reachOnlySubscribersAllowedToReceiveThem() throws Exception {
    String own = "own-" + System.nanoTime();
    String other = "other-" + System.nanoTime();
    Device narrow = pylon.registeredDevice("shadow-narrow");
    String arn =
        "arn:aws:iot:"
            + pylon.server().account().region()
            + ":"
            + pylon.server().account().accountId()
            + ":";
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":[\"iot:Connect\",\"iot:Subscribe\"],\"Resource\":\"*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":\"iot:Receive\",\"Resource\":\""
            + arn
            + "topic/$aws/things/"
            + own
            + "/shadow/*\"}]}";
    pylon.server().policies().createPolicy("shadow-narrow", policy, List.of());
    pylon.server().policies().attachPolicy("shadow-narrow", pylon.certificateArn(narrow));

    Mqtt5AsyncClient client =
        Clients.hive5Tls(clientId("shadow-narrow"), pylon.port(MQTTS), narrow, List.of());
    client.connect().get(TIMEOUT, TimeUnit.SECONDS);
    try {
      BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
      client
          .subscribeWith()
          .topicFilter("$aws/things/+/shadow/update/accepted")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(received::add)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      Path dir = pylon.scratch("shadow-receive");

      assertThat(update(other, "{\"state\":{\"desired\":{\"x\":1}}}", dir.resolve("o")).exitCode())
          .isZero();
      assertThat(update(own, "{\"state\":{\"desired\":{\"x\":1}}}", dir.resolve("m")).exitCode())
          .isZero();

      // One session's deliveries keep their order: had the first answer been delivered, it
      // would arrive before the second.
      Mqtt5Publish first = received.poll(TIMEOUT, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(first.getTopic().toString())
          .isEqualTo("$aws/things/" + own + "/shadow/update/accepted");
    } finally {
      client.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
    }
  }

  @Test
  void mqttRequests_refusedOnRejectedTopics_withCodeMessageAndClientToken() throws Exception {
    String thing = "rejects-" + System.nanoTime();
    String prefix = "$aws/things/" + thing + "/shadow/name/cfg/";
    Mqtt5AsyncClient client =
        Clients.hive5Tls(clientId("shadow-rejects"), pylon.port(MQTTS), device, List.of());
    client.connect().get(TIMEOUT, TimeUnit.SECONDS);
    try {
      BlockingQueue<Mqtt5Publish> rejected = new LinkedBlockingQueue<>();
      client
          .subscribeWith()
          .topicFilter(prefix + "+/rejected")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(rejected::add)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);

      publish(client, prefix + "get", "{\"clientToken\":\"g-1\"}");
      JsonNode notFound =
          payloadOf(rejected.poll(TIMEOUT, TimeUnit.SECONDS), prefix + "get/rejected");
      assertThat(notFound.get("code").asInt()).isEqualTo(404);
      assertThat(notFound.get("message").asText()).isEqualTo("No shadow exists with name: 'cfg'");
      assertThat(notFound.get("clientToken").asText()).isEqualTo("g-1");
      assertThat(notFound.has("timestamp")).isTrue();

      publish(client, prefix + "update", "{\"state\":");
      JsonNode invalid =
          payloadOf(rejected.poll(TIMEOUT, TimeUnit.SECONDS), prefix + "update/rejected");
      assertThat(invalid.get("code").asInt()).isEqualTo(400);
      assertThat(invalid.get("message").asText()).isEqualTo("Invalid JSON");

      publish(client, prefix + "update", "{\"state\":{},\"version\":3,\"clientToken\":\"u-1\"}");
      JsonNode conflict =
          payloadOf(rejected.poll(TIMEOUT, TimeUnit.SECONDS), prefix + "update/rejected");
      assertThat(conflict.get("code").asInt()).isEqualTo(409);
      assertThat(conflict.get("message").asText()).isEqualTo("Version conflict");
      assertThat(conflict.get("clientToken").asText()).isEqualTo("u-1");

      publish(client, prefix + "delete", "");
      JsonNode nothingToDelete =
          payloadOf(rejected.poll(TIMEOUT, TimeUnit.SECONDS), prefix + "delete/rejected");
      assertThat(nothingToDelete.get("code").asInt()).isEqualTo(404);
    } finally {
      client.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
    }
  }

  @Test
  void shadows_surviveARestart_andTheVersionSeriesContinues() throws Exception {
    String thing = "durable-" + System.nanoTime();
    Path dir = pylon.scratch("shadow-restart");
    assertThat(update(thing, "{\"state\":{\"reported\":{\"a\":1}}}", dir.resolve("1")).exitCode())
        .isZero();
    assertThat(update(thing, "{\"state\":{\"desired\":{\"a\":2}}}", dir.resolve("2")).exitCode())
        .isZero();

    pylon.restart();
    // New ports: the CLI follows the restarted server.
    aws = AwsCli.of(pylon);

    AwsCli.Result got =
        aws.run("iot-data", "get-thing-shadow", "--thing-name", thing, dir.resolve("3").toString());
    assertThat(got.exitCode()).as(got.toString()).isZero();
    JsonNode document = JSON.readTree(Files.readAllBytes(dir.resolve("3")));
    assertThat(document.get("version").asInt()).isEqualTo(2);
    assertThat(document.at("/state/delta/a").asInt()).isEqualTo(2);
    assertThat(
            update(thing, "{\"state\":{\"reported\":{\"a\":2}},\"version\":2}", dir.resolve("4"))
                .exitCode())
        .isZero();
    assertThat(JSON.readTree(Files.readAllBytes(dir.resolve("4"))).get("version").asInt())
        .isEqualTo(3);
  }

  @Test
  void deviceOnMutualTls_restShadowCallsDecidedByItsPolicy() throws Exception {
    String own = "rest-own-" + System.nanoTime();
    Device restDevice = pylon.registeredDevice("shadow-rest-device");
    String arn =
        "arn:aws:iot:"
            + pylon.server().account().region()
            + ":"
            + pylon.server().account().accountId()
            + ":thing/"
            + own;
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"iot:GetThingShadow\",\"iot:UpdateThingShadow\"],\"Resource\":\""
            + arn
            + "\"}]}";
    pylon.server().policies().createPolicy("shadow-rest-device", policy, List.of());
    pylon.server().policies().attachPolicy("shadow-rest-device", pylon.certificateArn(restDevice));
    String body = "{\"state\":{\"reported\":{\"on\":true}}}";

    try (SSLSocket socket =
        Tls.connect(restDevice.sslContext(), pylon.port(HTTPS), List.of(), List.of())) {
      RawHttp.Response updated =
          RawHttp.exchange(
              socket,
              "POST /things/"
                  + own
                  + "/shadow HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body);
      assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
      assertThat(JSON.readTree(updated.body()).get("version").asInt()).isEqualTo(1);

      RawHttp.Response got = RawHttp.exchange(socket, get("/things/" + own + "/shadow"));
      assertThat(got.status()).isEqualTo(200);
      assertThat(JSON.readTree(got.body()).at("/state/reported/on").asBoolean()).isTrue();

      RawHttp.Response deleteRefused =
          RawHttp.exchange(
              socket, "DELETE /things/" + own + "/shadow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(deleteRefused.status()).isEqualTo(403);
      assertThat(deleteRefused.header("x-amzn-ErrorType")).hasValue("ForbiddenException");

      RawHttp.Response otherRefused =
          RawHttp.exchange(socket, get("/things/" + own + "-other/shadow"));
      assertThat(otherRefused.status()).isEqualTo(403);
      RawHttp.Response namedRefused =
          RawHttp.exchange(socket, get("/things/" + own + "/shadow?name=cfg"));
      assertThat(namedRefused.status()).isEqualTo(403);
    }
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  @Test
  void moreThanTwentyRequestsAtOnceForOneShadow_areThrottledWith429() throws Exception {
    String prefix = "$aws/things/busy-" + System.nanoTime() + "/shadow/";
    Mqtt5AsyncClient client =
        Clients.hive5Tls(clientId("shadow-busy"), pylon.port(MQTTS), device, List.of());
    client.connect().get(TIMEOUT, TimeUnit.SECONDS);
    try {
      BlockingQueue<Mqtt5Publish> rejected = new LinkedBlockingQueue<>();
      client
          .subscribeWith()
          .topicFilter(prefix + "get/rejected")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(rejected::add)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      // Requests and answers together stay under the 100 publishes a second one connection may
      // send and receive; well over 20 requests a second, in rounds of 8 so that the 10 requests
      // a thing may have in flight are never reached.
      int requests = 40;
      int round = 8;
      int throttled = 0;
      int served = 0;
      for (int first = 0; first < requests; first += round) {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = first; i < first + round; i++) {
          sent.add(
              client.publish(
                  Mqtt5Publish.builder()
                      .topic(prefix + "get")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .payload(
                          ("{\"clientToken\":\"t" + i + "\"}").getBytes(StandardCharsets.UTF_8))
                      .build()));
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
            .get(TIMEOUT, TimeUnit.SECONDS);
        // The shadow does not exist: served requests answer 404, refused ones 429.
        for (int i = 0; i < round; i++) {
          JsonNode answer =
              payloadOf(rejected.poll(TIMEOUT, TimeUnit.SECONDS), prefix + "get/rejected");
          if (answer.get("code").asInt() == 429) {
            assertThat(answer.get("message").asText()).isEqualTo("Rate limit exceeded");
            throttled++;
          } else {
            assertThat(answer.get("code").asInt()).isEqualTo(404);
            served++;
          }
        }
      }
      assertThat(served).isGreaterThanOrEqualTo(20);
      assertThat(throttled).isPositive();
    } finally {
      client.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
    }
  }

  private static void publish(Mqtt5AsyncClient client, String topic, String payload)
      throws Exception {
    client
        .publish(
            Mqtt5Publish.builder()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .build())
        .get(TIMEOUT, TimeUnit.SECONDS);
  }

  private static JsonNode payloadOf(Mqtt5Publish message, String topic) throws Exception {
    assertThat(message).as("an answer on " + topic).isNotNull();
    assertThat(message.getTopic().toString()).isEqualTo(topic);
    return JSON.readTree(message.getPayloadAsBytes());
  }

  private static AwsCli.Result update(String thing, String payload, Path outfile) {
    return aws.run(
        "iot-data",
        "update-thing-shadow",
        "--thing-name",
        thing,
        "--cli-binary-format",
        "raw-in-base64-out",
        "--payload",
        payload,
        outfile.toString());
  }
}
