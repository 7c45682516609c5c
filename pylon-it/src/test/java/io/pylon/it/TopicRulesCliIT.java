package io.pylon.it;

import static io.pylon.it.RegistryCliIT.assertError;
import static io.pylon.it.RegistryCliIT.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pylon.it.harness.AwsCli;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.Tls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Topic rules and topic rule destinations through the real AWS CLI: the rule life cycle with the
 * ListTopicRules filters, the errors the CLI prints, and the destination confirmation handshake
 * against an endpoint on loopback that records the confirmation request.
 */
class TopicRulesCliIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE = "arn:aws:iam::123456789012:role/iot";

  /** One request the local endpoint received. */
  private record Received(
      String path, String query, Map<String, List<String>> headers, JsonNode body) {}

  private static final List<Received> received = new CopyOnWriteArrayList<>();
  private static AwsCli aws;
  private static HttpServer endpoint;
  private static String endpointUrl;

  @BeforeAll
  static void setUp() throws IOException {
    aws = AwsCli.of(pylon);
    endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endpoint.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestURI().getRawQuery(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  JSON.readTree(new String(body, StandardCharsets.UTF_8))));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    endpoint.start();
    endpointUrl = "http://127.0.0.1:" + endpoint.getAddress().getPort();
  }

  @AfterAll
  static void stopEndpoint() {
    if (endpoint != null) {
      endpoint.stop(0);
    }
  }

  // ---- rules --------------------------------------------------------------------------------

  @Test
  void rule_lifeCycle_withListFiltersAndTags() {
    ok(
        "iot",
        "create-topic-rule",
        "--rule-name",
        "cli_hot",
        "--topic-rule-payload",
        payload("SELECT temp FROM 'cli/+/telemetry' WHERE temp > 50", republish("alerts"), false),
        "--tags",
        "team=ops&tier=gold");
    ok(
        "iot",
        "create-topic-rule",
        "--rule-name",
        "cli_cold",
        "--topic-rule-payload",
        payload("SELECT * FROM 'cli/other'", republish("cold"), true));

    JsonNode got = ok("iot", "get-topic-rule", "--rule-name", "cli_hot").json();
    String arn = got.path("ruleArn").asText();
    assertThat(arn).isEqualTo(pylon.server().account().arn("rule", "cli_hot"));
    JsonNode rule = got.path("rule");
    assertThat(rule.path("ruleName").asText()).isEqualTo("cli_hot");
    assertThat(rule.path("sql").asText())
        .isEqualTo("SELECT temp FROM 'cli/+/telemetry' WHERE temp > 50");
    assertThat(rule.path("description").asText()).isEqualTo("made by the CLI");
    assertThat(rule.path("ruleDisabled").asBoolean(true)).isFalse();
    assertThat(rule.path("awsIotSqlVersion").asText()).isEqualTo("2016-03-23");
    assertThat(rule.path("actions").get(0).path("republish").path("topic").asText())
        .isEqualTo("alerts");
    assertThat(rule.path("actions").get(0).path("republish").path("qos").asInt()).isEqualTo(1);
    assertThat(rule.path("errorAction").path("republish").path("topic").asText())
        .isEqualTo("rule-errors");
    assertThat(RegistryCliIT.timestamp(rule.path("createdAt")))
        .isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plusSeconds(1));

    JsonNode byTopic =
        ok("iot", "list-topic-rules", "--topic", "cli/+/telemetry").json().path("rules");
    assertThat(names(byTopic, "ruleName")).containsExactly("cli_hot");
    assertThat(byTopic.get(0).path("topicPattern").asText()).isEqualTo("cli/+/telemetry");
    assertThat(byTopic.get(0).path("ruleArn").asText()).isEqualTo(arn);
    assertThat(
            names(
                ok("iot", "list-topic-rules", "--rule-disabled").json().path("rules"), "ruleName"))
        .contains("cli_cold")
        .doesNotContain("cli_hot");
    assertThat(names(ok("iot", "list-topic-rules").json().path("rules"), "ruleName"))
        .contains("cli_hot", "cli_cold");

    JsonNode tags = ok("iot", "list-tags-for-resource", "--resource-arn", arn).json().path("tags");
    assertThat(names(tags, "Key")).containsExactlyInAnyOrder("team", "tier");

    ok(
        "iot",
        "replace-topic-rule",
        "--rule-name",
        "cli_hot",
        "--topic-rule-payload",
        payload("SELECT * FROM 'cli/replaced'", republish("elsewhere"), false));
    JsonNode replaced = ok("iot", "get-topic-rule", "--rule-name", "cli_hot").json().path("rule");
    assertThat(replaced.path("sql").asText()).isEqualTo("SELECT * FROM 'cli/replaced'");
    assertThat(replaced.path("createdAt")).isEqualTo(rule.path("createdAt"));
    assertThat(
            names(
                ok("iot", "list-topic-rules", "--topic", "cli/replaced").json().path("rules"),
                "ruleName"))
        .containsExactly("cli_hot");

    ok("iot", "disable-topic-rule", "--rule-name", "cli_hot");
    assertThat(
            ok("iot", "get-topic-rule", "--rule-name", "cli_hot")
                .json()
                .path("rule")
                .path("ruleDisabled")
                .asBoolean())
        .isTrue();
    ok("iot", "enable-topic-rule", "--rule-name", "cli_hot");
    assertThat(
            ok("iot", "get-topic-rule", "--rule-name", "cli_hot")
                .json()
                .path("rule")
                .path("ruleDisabled")
                .asBoolean(true))
        .isFalse();

    ok("iot", "delete-topic-rule", "--rule-name", "cli_hot");
    assertError(
        aws.run("iot", "get-topic-rule", "--rule-name", "cli_hot"),
        "UnauthorizedException",
        "GetTopicRule");
    assertError(
        aws.run("iot", "delete-topic-rule", "--rule-name", "cli_hot"),
        "UnauthorizedException",
        "DeleteTopicRule");
    assertThat(names(ok("iot", "list-topic-rules").json().path("rules"), "ruleName"))
        .doesNotContain("cli_hot");
  }

  @Test
  void rule_errors_asTheCliPrintsThem() {
    String good = payload("SELECT * FROM 'cli/errors'", republish("out"), false);
    ok("iot", "create-topic-rule", "--rule-name", "cli_dup", "--topic-rule-payload", good);

    assertError(
        aws.run("iot", "create-topic-rule", "--rule-name", "cli_dup", "--topic-rule-payload", good),
        "ResourceAlreadyExistsException",
        "CreateTopicRule");
    assertError(
        aws.run(
            "iot", "create-topic-rule", "--rule-name", "bad-name", "--topic-rule-payload", good),
        "InvalidRequestException",
        "CreateTopicRule");
    assertError(
        aws.run(
            "iot",
            "create-topic-rule",
            "--rule-name",
            "cli_qos",
            "--topic-rule-payload",
            "{\"sql\":\"SELECT * FROM 'a'\",\"actions\":[{\"republish\":{\"roleArn\":\""
                + ROLE
                + "\",\"topic\":\"t\",\"qos\":2}}]}"),
        "InvalidRequestException",
        "CreateTopicRule");
    assertError(
        aws.run(
            "iot",
            "create-topic-rule",
            "--rule-name",
            "cli_two",
            "--topic-rule-payload",
            "{\"sql\":\"SELECT * FROM 'a'\",\"actions\":[{\"lambda\":{\"functionArn\":\"f\"},"
                + "\"sqs\":{\"roleArn\":\""
                + ROLE
                + "\",\"queueUrl\":\"q\"}}]}"),
        "InvalidRequestException",
        "CreateTopicRule");
    String eleven = String.join(",", Collections.nCopies(11, republish("t")));
    assertError(
        aws.run(
            "iot",
            "create-topic-rule",
            "--rule-name",
            "cli_eleven",
            "--topic-rule-payload",
            "{\"sql\":\"SELECT * FROM 'a'\",\"actions\":[" + eleven + "]}"),
        "InvalidRequestException",
        "CreateTopicRule");
    assertError(
        aws.run(
            "iot",
            "create-topic-rule",
            "--rule-name",
            "cli_sql",
            "--topic-rule-payload",
            "{\"sql\":\"SELEKT * FROM 'a'\",\"actions\":[]}"),
        "SqlParseException",
        "CreateTopicRule");
    assertError(
        aws.run(
            "iot",
            "replace-topic-rule",
            "--rule-name",
            "cli_nothing",
            "--topic-rule-payload",
            good),
        "UnauthorizedException",
        "ReplaceTopicRule");
    assertThat(names(ok("iot", "list-topic-rules").json().path("rules"), "ruleName"))
        .doesNotContain("cli_qos", "cli_two", "cli_eleven", "cli_sql", "cli_nothing");
  }

  // ---- destinations -------------------------------------------------------------------------

  @Test
  void destination_confirmationHandshake_getListUpdateDelete() {
    String confirmationUrl = endpointUrl + "/confirm";
    JsonNode created =
        ok(
                "iot",
                "create-topic-rule-destination",
                "--destination-configuration",
                "{\"httpUrlConfiguration\":{\"confirmationUrl\":\"" + confirmationUrl + "\"}}")
            .json()
            .path("topicRuleDestination");
    String arn = created.path("arn").asText();
    assertThat(arn)
        .startsWith("arn:aws:iot:" + pylon.server().account().region() + ":")
        .contains(":ruledestination/http/");
    assertThat(created.path("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(created.path("httpUrlProperties").path("confirmationUrl").asText())
        .isEqualTo(confirmationUrl);

    Received confirmation = awaitRequest("/confirm");
    assertThat(confirmation.headers().get("X-amz-rules-engine-message-type"))
        .containsExactly("DestinationConfirmation");
    assertThat(confirmation.headers().get("X-amz-rules-engine-destination-arn"))
        .containsExactly(arn);
    assertThat(confirmation.body().path("arn").asText()).isEqualTo(arn);
    assertThat(confirmation.body().path("messageType").asText())
        .isEqualTo("DestinationConfirmation");
    String token = confirmation.body().path("confirmationToken").asText();
    assertThat(confirmation.query()).isEqualTo("confirmationToken=" + token);
    assertThat(confirmation.body().path("enableUrl").asText())
        .isEqualTo(aws.endpointUrl() + "/confirmdestination/" + token);

    assertError(
        aws.run(
            "iot",
            "create-topic-rule-destination",
            "--destination-configuration",
            "{\"httpUrlConfiguration\":{\"confirmationUrl\":\"" + confirmationUrl + "\"}}"),
        "ResourceAlreadyExistsException",
        "CreateTopicRuleDestination");
    assertError(
        aws.run("iot", "update-topic-rule-destination", "--arn", arn, "--status", "ENABLED"),
        "InvalidRequestException",
        "UpdateTopicRuleDestination");
    assertError(
        aws.run("iot", "confirm-topic-rule-destination", "--confirmation-token", "not-a-token"),
        "InvalidRequestException",
        "ConfirmTopicRuleDestination");

    ok("iot", "confirm-topic-rule-destination", "--confirmation-token", token);
    assertThat(destination(arn).path("status").asText()).isEqualTo("DISABLED");
    ok("iot", "update-topic-rule-destination", "--arn", arn, "--status", "ENABLED");
    JsonNode enabled = destination(arn);
    assertThat(enabled.path("status").asText()).isEqualTo("ENABLED");
    assertThat(RegistryCliIT.timestamp(enabled.path("lastUpdatedAt")))
        .isAfterOrEqualTo(RegistryCliIT.timestamp(enabled.path("createdAt")));

    JsonNode summaries =
        ok("iot", "list-topic-rule-destinations").json().path("destinationSummaries");
    assertThat(names(summaries, "arn")).contains(arn);
    for (JsonNode s : summaries) {
      if (s.path("arn").asText().equals(arn)) {
        assertThat(s.path("status").asText()).isEqualTo("ENABLED");
        assertThat(s.path("httpUrlSummary").path("confirmationUrl").asText())
            .isEqualTo(confirmationUrl);
      }
    }

    ok("iot", "update-topic-rule-destination", "--arn", arn, "--status", "DISABLED");
    assertThat(destination(arn).path("status").asText()).isEqualTo("DISABLED");

    ok("iot", "delete-topic-rule-destination", "--arn", arn);
    assertError(
        aws.run("iot", "get-topic-rule-destination", "--arn", arn),
        "UnauthorizedException",
        "GetTopicRuleDestination");
  }

  @Test
  void destination_confirmedByOpeningTheEnableUrl_withoutCredentials() throws Exception {
    String confirmationUrl = endpointUrl + "/browser";
    ok(
        "iot",
        "create-topic-rule-destination",
        "--destination-configuration",
        "{\"httpUrlConfiguration\":{\"confirmationUrl\":\"" + confirmationUrl + "\"}}");
    Received confirmation = awaitRequest("/browser");
    String arn = confirmation.body().path("arn").asText();

    HttpClient browser =
        HttpClient.newBuilder().sslContext(Tls.context(pylon.caFile(), null)).build();
    HttpResponse<String> opened =
        browser.send(
            HttpRequest.newBuilder(URI.create(confirmation.body().path("enableUrl").asText()))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
    assertThat(destination(arn).path("status").asText()).isEqualTo("DISABLED");
  }

  @Test
  void httpRule_withoutDestination_createsOneAndSendsItsConfirmation() {
    String url = endpointUrl + "/hook";
    ok(
        "iot",
        "create-topic-rule",
        "--rule-name",
        "cli_http",
        "--topic-rule-payload",
        "{\"sql\":\"SELECT * FROM 'cli/http'\",\"actions\":[{\"http\":{\"url\":\""
            + url
            + "\"}}]}");

    Received confirmation = awaitRequest("/hook");
    String arn = confirmation.body().path("arn").asText();
    JsonNode d = destination(arn);
    assertThat(d.path("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(d.path("httpUrlProperties").path("confirmationUrl").asText()).isEqualTo(url);
    assertThat(
            ok("iot", "get-topic-rule", "--rule-name", "cli_http")
                .json()
                .path("rule")
                .path("actions")
                .get(0)
                .path("http")
                .path("url")
                .asText())
        .isEqualTo(url);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static String republish(String topic) {
    return "{\"republish\":{\"roleArn\":\"" + ROLE + "\",\"topic\":\"" + topic + "\",\"qos\":1}}";
  }

  private static String payload(String sql, String action, boolean disabled) {
    return "{\"sql\":\""
        + sql
        + "\",\"description\":\"made by the CLI\",\"ruleDisabled\":"
        + disabled
        + ",\"awsIotSqlVersion\":\"2016-03-23\",\"actions\":["
        + action
        + "],\"errorAction\":"
        + republish("rule-errors").replace(",\"qos\":1", "")
        + "}";
  }

  private static JsonNode destination(String arn) {
    return ok("iot", "get-topic-rule-destination", "--arn", arn)
        .json()
        .path("topicRuleDestination");
  }

  private static Received awaitRequest(String path) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received.stream().anyMatch(r -> r.path().equals(path)));
    return received.stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
  }

  private static AwsCli.Result ok(String... args) {
    AwsCli.Result result = aws.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isZero();
    return result;
  }
}
