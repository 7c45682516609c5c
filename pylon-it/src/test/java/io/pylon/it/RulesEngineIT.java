package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.MQTT;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.sun.net.httpserver.HttpServer;
import io.pylon.it.harness.AwsCli;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.SignedRest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Topic rules end to end: rules created with the real AWS CLI, messages published by real MQTT
 * clients and the iot-data REST API, observed as republished messages, as HTTP calls received by a
 * local server, as Lambda Invoke calls, and as error-action payloads.
 */
class RulesEngineIT {

  private static final int TIMEOUT = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE = "arn:aws:iam::000000000000:role/pylon-rules";

  /** One request a local HTTP server received. */
  record Received(String method, String path, Map<String, List<String>> headers, String body) {}

  private static final BlockingQueue<Received> sink = new LinkedBlockingQueue<>();
  private static final BlockingQueue<Received> lambda = new LinkedBlockingQueue<>();
  private static HttpServer sinkServer;
  private static HttpServer lambdaServer;

  @RegisterExtension
  static final PylonServerExtension pylon =
      new PylonServerExtension()
          .with("rules.lambda.endpoint", () -> "http://127.0.0.1:" + startLambda());

  private static AwsCli aws;
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
  private final List<String> rules = new ArrayList<>();

  private static int startLambda() {
    try {
      lambdaServer = recordingServer(lambda, path -> 202);
      return lambdaServer.getAddress().getPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    aws = AwsCli.of(pylon);
    sinkServer = recordingServer(sink, path -> path.startsWith("/fail") ? 500 : 200);
  }

  @AfterAll
  static void stopServers() {
    sinkServer.stop(0);
    lambdaServer.stop(0);
  }

  @AfterEach
  void cleanUp() {
    for (Mqtt5AsyncClient c : clients) {
      c.disconnect();
    }
    for (String rule : rules) {
      aws.run("iot", "delete-topic-rule", "--rule-name", rule);
    }
    sink.clear();
    lambda.clear();
  }

  private static HttpServer recordingServer(
      BlockingQueue<Received> into, java.util.function.ToIntFunction<String> status)
      throws java.io.IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String path = exchange.getRequestURI().getRawPath();
          into.add(
              new Received(
                  exchange.getRequestMethod(),
                  path,
                  Map.copyOf(exchange.getRequestHeaders()),
                  new String(body, StandardCharsets.UTF_8)));
          exchange.sendResponseHeaders(status.applyAsInt(path), -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  private String sinkUrl() {
    return "http://127.0.0.1:" + sinkServer.getAddress().getPort();
  }

  private void createRule(String name, String payload) {
    AwsCli.Result r =
        aws.run("iot", "create-topic-rule", "--rule-name", name, "--topic-rule-payload", payload);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    rules.add(name);
  }

  private Mqtt5AsyncClient client(String prefix) throws Exception {
    Mqtt5AsyncClient c = Clients.hive5(clientId(prefix), pylon.port(MQTT)).buildAsync();
    c.connect().get(TIMEOUT, TimeUnit.SECONDS);
    clients.add(c);
    return c;
  }

  private BlockingQueue<Mqtt5Publish> subscribe(Mqtt5AsyncClient c, String filter)
      throws Exception {
    BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    c.subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(received::add)
        .send()
        .get(TIMEOUT, TimeUnit.SECONDS);
    return received;
  }

  private static void publish(Mqtt5AsyncClient c, String topic, String payload) throws Exception {
    c.publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .send()
        .get(TIMEOUT, TimeUnit.SECONDS);
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T item = queue.poll(TIMEOUT, TimeUnit.SECONDS);
    assertThat(item).as("expected within " + TIMEOUT + " s").isNotNull();
    return item;
  }

  private static JsonNode json(Mqtt5Publish p) throws Exception {
    return JSON.readTree(p.getPayloadAsBytes());
  }

  @Test
  void republishRule_selectsTransformsAndRepublishes() throws Exception {
    createRule(
        "rit_republish",
        "{\"sql\":\"SELECT temp, topic(2) AS device FROM 'rit/+/telemetry' WHERE temp > 50\","
            + "\"awsIotSqlVersion\":\"2016-03-23\","
            + "\"actions\":[{\"republish\":{\"roleArn\":\""
            + ROLE
            + "\",\"topic\":\"rit-alerts/${topic(2)}\",\"qos\":1}}]}");
    Mqtt5AsyncClient device = client("rit-dev");
    BlockingQueue<Mqtt5Publish> alerts = subscribe(client("rit-app"), "rit-alerts/#");

    publish(device, "rit/dev7/telemetry", "{\"temp\":20}");
    publish(device, "rit/dev7/telemetry", "{\"temp\":70,\"humidity\":3}");

    Mqtt5Publish alert = next(alerts);
    assertThat(alert.getTopic().toString()).isEqualTo("rit-alerts/dev7");
    assertThat(json(alert).toString()).isEqualTo("{\"temp\":70,\"device\":\"dev7\"}");
    assertThat(alerts.poll(300, TimeUnit.MILLISECONDS)).as("20 is not > 50").isNull();
  }

  @Test
  void restPublish_andBasicIngest_reachRules_andBasicIngestNeverReachesSubscribers()
      throws Exception {
    createRule(
        "rit_ingest",
        "{\"sql\":\"SELECT *, topic() AS t FROM 'rit/rest/#'\",\"awsIotSqlVersion\":\"2016-03-23\","
            + "\"actions\":[{\"republish\":{\"roleArn\":\""
            + ROLE
            + "\",\"topic\":\"rit-ingest-out\"}}]}");
    BlockingQueue<Mqtt5Publish> out = subscribe(client("rit-out"), "rit-ingest-out");
    Mqtt5AsyncClient device = client("rit-ingest-dev");
    BlockingQueue<Mqtt5Publish> eavesdropper = subscribe(device, "$aws/rules/rit_ingest/#");

    AwsCli.Result r =
        aws.run(
            "iot-data",
            "publish",
            "--topic",
            "rit/rest/a",
            "--payload",
            "{\"via\":\"rest\"}",
            "--cli-binary-format",
            "raw-in-base64-out");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(json(next(out)).toString()).isEqualTo("{\"via\":\"rest\",\"t\":\"rit/rest/a\"}");

    publish(device, "$aws/rules/rit_ingest/plant/7", "{\"via\":\"ingest\"}");
    assertThat(json(next(out)).toString()).isEqualTo("{\"via\":\"ingest\",\"t\":\"plant/7\"}");
    assertThat(eavesdropper).as("Basic Ingest messages are never routed").isEmpty();
  }

  @Test
  void httpAction_postsToAConfirmedDestination() throws Exception {
    AwsCli.Result created =
        aws.run(
            "iot",
            "create-topic-rule-destination",
            "--destination-configuration",
            "{\"httpUrlConfiguration\":{\"confirmationUrl\":\"" + sinkUrl() + "/hooks\"}}");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String arn = created.json().path("topicRuleDestination").path("arn").asText();
    Received confirmation = next(sink);
    JsonNode confirmationBody = JSON.readTree(confirmation.body());
    assertThat(confirmation.path()).isEqualTo("/hooks");
    assertThat(confirmationBody.path("messageType").asText()).isEqualTo("DestinationConfirmation");
    assertThat(confirmationBody.path("arn").asText()).isEqualTo(arn);
    AwsCli.Result confirmed =
        aws.run(
            "iot",
            "confirm-topic-rule-destination",
            "--confirmation-token",
            confirmationBody.path("confirmationToken").asText());
    assertThat(confirmed.exitCode()).as(confirmed.toString()).isZero();
    // As on AWS, a confirmed destination is DISABLED until enabled.
    AwsCli.Result enabled =
        aws.run("iot", "update-topic-rule-destination", "--arn", arn, "--status", "ENABLED");
    assertThat(enabled.exitCode()).as(enabled.toString()).isZero();
    createRule(
        "rit_http",
        "{\"sql\":\"SELECT reading FROM 'rit/http/+'\",\"awsIotSqlVersion\":\"2016-03-23\","
            + "\"actions\":[{\"http\":{\"url\":\""
            + sinkUrl()
            + "/hooks/${topic(3)}\",\"confirmationUrl\":\""
            + sinkUrl()
            + "/hooks\",\"headers\":[{\"key\":\"x-source\",\"value\":\"${clientid()}\"}]}}]}");
    String deviceId = clientId("rit-http-dev");
    Mqtt5AsyncClient device = Clients.hive5(deviceId, pylon.port(MQTT)).buildAsync();
    device.connect().get(TIMEOUT, TimeUnit.SECONDS);
    clients.add(device);

    publish(device, "rit/http/boiler", "{\"reading\":42,\"noise\":1}");

    Received call = next(sink);
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo("/hooks/boiler");
    assertThat(call.headers().get("X-source")).containsExactly(deviceId);
    assertThat(call.headers().get("Content-type")).containsExactly("application/json");
    assertThat(call.body()).isEqualTo("{\"reading\":42}");
    aws.run("iot", "delete-topic-rule-destination", "--arn", arn);
  }

  @Test
  void failingAction_sendsAwsErrorPayloadToTheErrorAction() throws Exception {
    createRule(
        "rit_failing",
        "{\"sql\":\"SELECT * FROM 'rit/fail'\",\"awsIotSqlVersion\":\"2016-03-23\","
            + "\"actions\":[{\"http\":{\"url\":\""
            + sinkUrl()
            + "/fail\"}}],"
            + "\"errorAction\":{\"republish\":{\"roleArn\":\""
            + ROLE
            + "\",\"topic\":\"rit-errors\"}}}");
    BlockingQueue<Mqtt5Publish> errors = subscribe(client("rit-err"), "rit-errors");
    Mqtt5AsyncClient device = client("rit-fail-dev");

    publish(device, "rit/fail", "{\"x\":1}");

    JsonNode error = json(next(errors));
    assertThat(error.path("ruleName").asText()).isEqualTo("rit_failing");
    assertThat(error.path("topic").asText()).isEqualTo("rit/fail");
    assertThat(new String(Base64.getDecoder().decode(error.path("base64OriginalPayload").asText())))
        .isEqualTo("{\"x\":1}");
    JsonNode failure = error.path("failures").get(0);
    assertThat(failure.path("failedAction").asText()).isEqualTo("HttpAction");
    assertThat(failure.path("failedResource").asText()).isEqualTo(sinkUrl() + "/fail");
    assertThat(failure.path("errorMessage").asText()).contains("destination");
  }

  @Test
  void lambdaAction_invokesTheConfiguredEndpointAsynchronously() throws Exception {
    String function = "arn:aws:lambda:us-east-1:000000000000:function:rit-handler";
    createRule(
        "rit_lambda",
        "{\"sql\":\"SELECT * FROM 'rit/lambda'\",\"actions\":[{\"lambda\":{\"functionArn\":\""
            + function
            + "\"}}]}");

    publish(client("rit-lambda-dev"), "rit/lambda", "{\"event\":\"ding\"}");

    Received invoke = next(lambda);
    assertThat(invoke.method()).isEqualTo("POST");
    assertThat(java.net.URLDecoder.decode(invoke.path(), StandardCharsets.UTF_8))
        .isEqualTo("/2015-03-31/functions/" + function + "/invocations");
    assertThat(invoke.headers().get("X-amz-invocation-type")).containsExactly("Event");
    assertThat(invoke.body()).isEqualTo("{\"event\":\"ding\"}");
  }

  @Test
  void disabledRule_doesNotRun_untilEnabledAgain() throws Exception {
    createRule(
        "rit_toggle",
        "{\"sql\":\"SELECT * FROM 'rit/toggle'\",\"ruleDisabled\":true,"
            + "\"actions\":[{\"republish\":{\"roleArn\":\""
            + ROLE
            + "\",\"topic\":\"rit-toggled\"}}]}");
    BlockingQueue<Mqtt5Publish> out = subscribe(client("rit-toggle-app"), "rit-toggled");
    Mqtt5AsyncClient device = client("rit-toggle-dev");

    publish(device, "rit/toggle", "{\"n\":1}");
    assertThat(aws.run("iot", "enable-topic-rule", "--rule-name", "rit_toggle").exitCode())
        .isZero();
    publish(device, "rit/toggle", "{\"n\":2}");

    assertThat(json(next(out)).path("n").asInt())
        .as("only the message after enabling")
        .isEqualTo(2);
  }

  @Test
  void invalidSqlOrTemplate_isRefusedAtCreate_withTheParsePosition() {
    AwsCli.Result r =
        aws.run(
            "iot",
            "create-topic-rule",
            "--rule-name",
            "rit_bad",
            "--topic-rule-payload",
            "{\"sql\":\"SELECT temp FORM 'a'\",\"actions\":[]}");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.errorCode()).contains("SqlParseException");
    assertThat(r.stderr()).containsPattern("1:\\d+");
    AwsCli.Result badTemplate =
        aws.run(
            "iot",
            "create-topic-rule",
            "--rule-name",
            "rit_bad_template",
            "--topic-rule-payload",
            "{\"sql\":\"SELECT * FROM 'a'\",\"actions\":[{\"republish\":{\"roleArn\":\""
                + ROLE
                + "\",\"topic\":\"out/${topic(\"}}]}");
    assertThat(badTemplate.exitCode()).isNotZero();
    assertThat(badTemplate.errorCode()).contains("SqlParseException");
    assertThat(aws.run("iot", "get-topic-rule", "--rule-name", "rit_bad_template").exitCode())
        .as("nothing was saved")
        .isNotZero();
  }

  @Test
  void testTopicRule_dryRunsASavedRule_withoutSending() throws Exception {
    createRule(
        "rit_dry",
        "{\"sql\":\"SELECT temp * 2 AS double FROM 'rit/dry/+'\",\"awsIotSqlVersion\":\"2016-03-23\","
            + "\"actions\":[{\"republish\":{\"roleArn\":\""
            + ROLE
            + "\",\"topic\":\"rit-dry/${topic(3)}\"}}]}");
    BlockingQueue<Mqtt5Publish> out = subscribe(client("rit-dry-app"), "rit-dry/#");

    SignedRest.Response response =
        SignedRest.of(pylon)
            .post(
                "/pylon/rules/test",
                "{\"ruleName\":\"rit_dry\",\"topic\":\"rit/dry/x\",\"payload\":\"{\\\"temp\\\":21}\"}");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode result = JSON.readTree(response.body());
    assertThat(result.path("matched").asBoolean()).isTrue();
    assertThat(result.path("output").toString()).isEqualTo("{\"double\":42}");
    assertThat(result.path("actions").get(0).path("request").path("topic").asText())
        .isEqualTo("rit-dry/x");
    assertThat(out.poll(300, TimeUnit.MILLISECONDS)).as("a dry run sends nothing").isNull();
  }

  @Test
  void messagesOfPylonsOwnServices_reachRulesThatNameThem() throws Exception {
    createRule(
        "rit_shadow",
        "{\"sql\":\"SELECT state.reported.temp AS temp, topic(3) AS thing"
            + " FROM '$aws/things/+/shadow/update/accepted'\",\"awsIotSqlVersion\":\"2016-03-23\","
            + "\"actions\":[{\"republish\":{\"roleArn\":\""
            + ROLE
            + "\",\"topic\":\"rit-shadow\"}}]}");
    BlockingQueue<Mqtt5Publish> out = subscribe(client("rit-shadow-app"), "rit-shadow");

    AwsCli.Result r =
        aws.run(
            "iot-data",
            "update-thing-shadow",
            "--thing-name",
            "rit-boiler",
            "--cli-binary-format",
            "raw-in-base64-out",
            "--payload",
            "{\"state\":{\"reported\":{\"temp\":64}}}",
            pylon.scratch("rit-shadow-out").resolve("answer.json").toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();

    assertThat(json(next(out)).toString()).isEqualTo("{\"temp\":64,\"thing\":\"rit-boiler\"}");
  }
}
