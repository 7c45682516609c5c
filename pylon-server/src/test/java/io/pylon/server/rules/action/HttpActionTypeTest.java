package io.pylon.server.rules.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.rules.TopicRuleDestination;
import io.pylon.domain.rules.action.ActionDefinition;
import io.pylon.domain.rules.action.ActionFailedException;
import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.action.RuleAction;
import io.pylon.domain.rules.sql.IncomingMessage;
import io.pylon.domain.rules.sql.SqlEnvironment;
import io.pylon.domain.rules.sql.SqlStatement;
import io.pylon.domain.rules.sql.SqlVersion;
import io.pylon.http.sigv4.AwsCredentials;
import io.pylon.server.rules.outbound.OutboundHttp;
import io.pylon.server.rules.outbound.OutboundSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpActionTypeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SqlStatement STATEMENT =
      SqlStatement.compile("SELECT * FROM '#'", SqlVersion.V2016_03_23);
  private static final SqlEnvironment ENV = new FixedEnvironment(0);

  /** One request the sink received. */
  private record Received(String path, Map<String, java.util.List<String>> headers, String body) {}

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private HttpServer sink;
  private OutboundHttp http;
  private String base;
  private boolean destinationEnabled = true;

  @BeforeEach
  void start() throws Exception {
    sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  exchange.getRequestURI().toString(),
                  exchange.getRequestHeaders(),
                  new String(body, StandardCharsets.UTF_8)));
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
        });
    sink.start();
    base = "http://127.0.0.1:" + sink.getAddress().getPort();
    http =
        new OutboundHttp(
            OutboundSettings.defaults().withRequestTimeout(Duration.ofSeconds(2)),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    http.close();
    sink.stop(0);
  }

  private RuleAction prepare(String json) throws Exception {
    return prepare(json, Optional.empty());
  }

  private RuleAction prepare(String json, Optional<AwsCredentials> signingKeys) throws Exception {
    HttpActionType type =
        new HttpActionType(
            http,
            url ->
                destinationEnabled && url.startsWith(base)
                    ? Optional.of(destination())
                    : Optional.empty(),
            signingKeys);
    return type.prepare(
        new ActionDefinition("r", (ObjectNode) JSON.readTree(json), STATEMENT, false));
  }

  private TopicRuleDestination destination() {
    java.time.Instant now = java.time.Instant.now();
    return new TopicRuleDestination(
        "arn:aws:iot:us-east-1:123456789012:ruledestination/http/x",
        io.pylon.domain.rules.TopicRuleDestinationStatus.ENABLED,
        "",
        now,
        now,
        base,
        Optional.empty(),
        Optional.empty());
  }

  private static ActionInvocation invocation(String payload) {
    IncomingMessage message =
        IncomingMessage.builder("sensors/d1", "{\"id\":\"d1\"}".getBytes(StandardCharsets.UTF_8))
            .clientId("dev-1")
            .build();
    return new ActionInvocation("r", message, payload.getBytes(StandardCharsets.UTF_8), ENV);
  }

  @Test
  void jsonOutput_isPostedWithRenderedUrlAndHeaders() throws Exception {
    RuleAction action =
        prepare(
            "{\"url\":\""
                + base
                + "/in/${topic(2)}\",\"headers\":[{\"key\":\"x-device\",\"value\":\"${id}\"}]}");

    action.execute(invocation("{\"t\":1}")).toCompletableFuture().get(10, TimeUnit.SECONDS);

    Received r = received.poll(10, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.path()).isEqualTo("/in/d1");
    assertThat(r.headers().get("X-device")).containsExactly("d1");
    assertThat(r.headers().get("Content-type")).containsExactly("application/json");
    assertThat(r.body()).isEqualTo("{\"t\":1}");
  }

  @Test
  void urlWithoutAnEnabledDestination_failsWithoutSending() throws Exception {
    destinationEnabled = false;
    RuleAction action = prepare("{\"url\":\"" + base + "/x\"}");

    assertThatThrownBy(() -> action.execute(invocation("{}")).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ActionFailedException.class)
        .hasMessageContaining("no ENABLED topic rule destination covers " + base + "/x");
    assertThat(received).isEmpty();
  }

  @Test
  void errorStatus_failsWithTheOutboundMessage() throws Exception {
    status.set(400);
    RuleAction action = prepare("{\"url\":\"" + base + "/x?secret=1\"}");

    assertThatThrownBy(() -> action.execute(invocation("{}")).toCompletableFuture().join())
        .hasCauseInstanceOf(ActionFailedException.class)
        .hasMessageContaining("400")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    assertThat(action.resource(invocation("{}"))).isEqualTo(base + "/x");
  }

  @Test
  void invalidConfigurations_areRefusedWhenTheRuleIsSaved() {
    assertThatThrownBy(() -> prepare("{}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("actions[].http.url is required");
    assertThatThrownBy(() -> prepare("{\"url\":\"ftp://x\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("https://");
    assertThatThrownBy(
            () ->
                prepare(
                    "{\"url\":\"https://a.example/x\",\"confirmationUrl\":\"https://b.example\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("must start with the confirmationUrl");
    assertThatThrownBy(
            () ->
                prepare(
                    "{\"url\":\"https://a.example\",\"headers\":[{\"key\":\"bad header\",\"value\":\"v\"}]}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not a valid header name");
  }

  @Test
  void binaryOutput_isSentAsOctetStream_andPreviewShowsTheRequest() throws Exception {
    RuleAction action = prepare("{\"url\":\"" + base + "/bin\"}");

    ObjectNode preview = action.preview(invocation("\u0001\u0002"));
    action.execute(invocation("\u0001\u0002")).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(preview.get("url").asText()).isEqualTo(base + "/bin");
    assertThat(preview.get("headers").get("content-type").asText())
        .isEqualTo("application/octet-stream");
    Received r = received.poll(10, TimeUnit.SECONDS);
    assertThat(r.headers().get("Content-type")).containsExactly("application/octet-stream");
  }

  @Test
  void sigv4Auth_signsWithTheConfiguredKeys_andFailsClearlyWithoutThem() throws Exception {
    String json =
        "{\"url\":\""
            + base
            + "/signed\",\"auth\":{\"sigv4\":{\"signingRegion\":\"eu-west-1\","
            + "\"serviceName\":\"execute-api\",\"roleArn\":\"arn:aws:iam::1:role/r\"}}}";
    RuleAction signed =
        prepare(json, Optional.of(new AwsCredentials("AKIDEXAMPLEEXAMPLE", "secretsecretsecret")));

    signed.execute(invocation("{}")).toCompletableFuture().get(10, TimeUnit.SECONDS);

    Received r = received.poll(10, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.headers().get("Authorization"))
        .singleElement()
        .asString()
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLEEXAMPLE/")
        .contains("/eu-west-1/execute-api/aws4_request");
    assertThatThrownBy(() -> prepare(json).execute(invocation("{}")).toCompletableFuture().join())
        .hasCauseInstanceOf(ActionFailedException.class)
        .hasMessageContaining("no signing keys are configured");
  }
}
