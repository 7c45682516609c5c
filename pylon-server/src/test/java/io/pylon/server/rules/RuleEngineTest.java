package io.pylon.server.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pylon.domain.rules.action.ActionDefinition;
import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.action.RuleAction;
import io.pylon.domain.rules.action.RuleActionType;
import io.pylon.domain.shadow.MemoryShadowStore;
import io.pylon.domain.shadow.ShadowService;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.spi.PublishInterceptor.Disposition;
import io.pylon.mqtt.spi.PublishOrigin;
import io.pylon.mqtt.topic.TopicRules;
import io.pylon.server.rules.action.RepublishActionType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuleEngineTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PublishOrigin DEVICE =
      new PublishOrigin("sensor-1", () -> "cert-123", "127.0.0.1");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RuleMetrics metrics = new RuleMetrics(registry);
  private final BlockingQueue<ApplicationMessage> published = new LinkedBlockingQueue<>();
  private final List<RuleActionType> types = new ArrayList<>();
  private RuleEngine engine = new RuleEngine(2, 100, metrics, Clock.systemUTC());

  RuleEngineTest() {
    types.add(
        new RepublishActionType(published::add, new TopicRules(256, 8, false), Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private RuleCompiler compiler(RuleSettings settings) {
    return new RuleCompiler(
        types,
        "123456789012",
        Clock.systemUTC(),
        new ShadowService(new MemoryShadowStore(), Clock.systemUTC()),
        metrics,
        settings);
  }

  private ActiveRule rule(String name, String sql, List<ObjectNode> actions, ObjectNode error) {
    return compiler(RuleSettings.defaults()).compile(name, sql, "2016-03-23", actions, error);
  }

  private static ObjectNode republish(String topic) {
    ObjectNode action = JsonNodeFactory.instance.objectNode();
    action.putObject("republish").put("roleArn", "arn:aws:iam::1:role/r").put("topic", topic);
    return action;
  }

  private static ApplicationMessage message(String topic, String payload) {
    return new ApplicationMessage(
        topic,
        payload.getBytes(StandardCharsets.UTF_8),
        Qos.AT_LEAST_ONCE,
        false,
        MessageProperties.NONE,
        0,
        "sensor-1");
  }

  private ApplicationMessage next() throws InterruptedException {
    ApplicationMessage m = published.poll(10, TimeUnit.SECONDS);
    assertThat(m).as("a republished message").isNotNull();
    return m;
  }

  private static JsonNode json(ApplicationMessage m) throws Exception {
    return JSON.readTree(m.payload());
  }

  @Test
  void matchingMessage_isSelectedTransformedAndRepublished() throws Exception {
    engine.put(
        rule(
            "hot",
            "SELECT temp, topic(2) AS device, clientid() AS client FROM 'sensors/+/telemetry'"
                + " WHERE temp > 50",
            List.of(republish("alerts/${topic(2)}")),
            null));

    engine.onPublished(message("sensors/d1/telemetry", "{\"temp\": 20}"), DEVICE);
    engine.onPublished(message("sensors/d2/telemetry", "{\"temp\": 70, \"x\": 1}"), DEVICE);

    ApplicationMessage out = next();
    assertThat(out.topic()).isEqualTo("alerts/d2");
    assertThat(json(out).toString())
        .isEqualTo("{\"temp\":70,\"device\":\"d2\",\"client\":\"sensor-1\"}");
    assertThat(published.poll(200, TimeUnit.MILLISECONDS))
        .as("the cold reading was not selected")
        .isNull();
  }

  @Test
  void topicsNoRuleMatches_areNotEvaluated() {
    engine.put(rule("r", "SELECT * FROM 'a/+'", List.of(republish("b")), null));

    engine.onPublished(message("other/topic", "{}"), DEVICE);
    engine.onPublished(message("a/b/c", "{}"), DEVICE);

    assertThat(registry.counter("pylon.rules.messages").count()).isZero();
  }

  @Test
  void basicIngest_goesToTheNamedRuleOnly_withoutItsPrefix_andNeverToSubscribers()
      throws Exception {
    engine.put(
        rule(
            "ingest",
            "SELECT topic() AS t, topic(1) AS first FROM 'never/matches'",
            List.of(republish("out")),
            null));
    engine.put(rule("other", "SELECT * FROM '#'", List.of(republish("other-out")), null));
    ApplicationMessage in = message("$aws/rules/ingest/plant/7", "{}");

    assertThat(engine.handles(in.topic())).isTrue();
    assertThat(engine.onPublish(in, DEVICE)).isEqualTo(Disposition.CONSUMED);
    engine.onPublished(in, DEVICE); // the broker still tells listeners; rules must not run twice

    ApplicationMessage out = next();
    assertThat(out.topic()).isEqualTo("out");
    assertThat(json(out).toString()).isEqualTo("{\"t\":\"plant/7\",\"first\":\"plant\"}");
    assertThat(published.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void basicIngest_toAnUnknownRule_isConsumedAndCounted() {
    assertThat(engine.onPublish(message("$aws/rules/nope/x", "{}"), DEVICE))
        .isEqualTo(Disposition.CONSUMED);
    assertThat(registry.counter("pylon.rules.messages.dropped", "reason", "no_such_rule").count())
        .isEqualTo(1);
  }

  @Test
  void removedRule_stopsRunning() {
    engine.put(rule("r", "SELECT * FROM 't'", List.of(republish("out")), null));
    engine.remove("r");

    engine.onPublished(message("t", "{}"), DEVICE);

    assertThat(engine.isRunning("r")).isFalse();
    assertThat(registry.counter("pylon.rules.messages").count()).isZero();
  }

  @Test
  void failingAction_sendsAwsErrorPayloadToTheErrorAction() throws Exception {
    engine.put(
        rule(
            "failing",
            "SELECT * FROM 'in'",
            List.of(unsupported("dynamoDB"), republish("fine")),
            republish("errors")));

    engine.onPublished(message("in", "{\"a\":1}"), DEVICE);

    List<ApplicationMessage> two = List.of(next(), next());
    ApplicationMessage error =
        two.stream().filter(m -> m.topic().equals("errors")).findFirst().orElseThrow();
    assertThat(two).extracting(ApplicationMessage::topic).contains("fine");
    JsonNode payload = json(error);
    assertThat(payload.get("ruleName").asText()).isEqualTo("failing");
    assertThat(payload.get("topic").asText()).isEqualTo("in");
    assertThat(payload.get("clientId").asText()).isEqualTo("sensor-1");
    assertThat(payload.get("cloudwatchTraceId").asText()).isNotEmpty();
    assertThat(
            new String(Base64.getDecoder().decode(payload.get("base64OriginalPayload").asText())))
        .isEqualTo("{\"a\":1}");
    assertThat(payload.get("failures")).hasSize(1);
    JsonNode failure = payload.get("failures").get(0);
    assertThat(failure.get("failedAction").asText()).isEqualTo("DynamoDBAction");
    assertThat(failure.get("errorMessage").asText()).contains("does not run dynamoDB actions");
  }

  @Test
  void sqlFunctionThatCannotRun_goesToTheErrorAction() throws Exception {
    engine.put(
        rule(
            "lambda-sql",
            "SELECT aws_lambda('arn:aws:lambda:us-east-1:1:function:f', *) AS x FROM 'in'",
            List.of(republish("never")),
            republish("errors")));

    engine.onPublished(message("in", "{}"), DEVICE);

    ApplicationMessage error = next();
    assertThat(error.topic()).isEqualTo("errors");
    assertThat(json(error).get("failures").get(0).get("errorMessage").asText())
        .contains("aws_lambda");
  }

  @Test
  void slowAction_fillsOnlyItsOwnLane_andTheExcessFailsToTheErrorAction() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Void> release = new CompletableFuture<>();
    types.add(blockingType(started, release));
    ActiveRule slow =
        compiler(new RuleSettings(2, 100, 1, 1))
            .compile(
                "slow",
                "SELECT * FROM 'in'",
                "2016-03-23",
                List.of(action("blocking")),
                republish("errors"));
    engine.put(slow);

    engine.onPublished(message("in", "{\"n\":1}"), DEVICE); // runs
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    engine.onPublished(message("in", "{\"n\":2}"), DEVICE); // waits in the lane
    engine.onPublished(message("in", "{\"n\":3}"), DEVICE); // refused: lane full

    ApplicationMessage error = next();
    assertThat(json(error).get("failures").get(0).get("errorMessage").asText())
        .startsWith("action queue full");
    release.complete(null);
    await().untilAsserted(() -> assertThat(slow.actions().get(0).depth()).isZero());
  }

  @Test
  void fullEvaluationQueue_dropsMessagesForRules_withoutBlockingThePublisher() throws Exception {
    engine.close();
    engine = new RuleEngine(1, 1, metrics, Clock.systemUTC());
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    types.add(
        new FakeType(
            "stuck",
            invocation -> {
              started.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return CompletableFuture.completedFuture(null);
            }));
    engine.put(rule("stuck", "SELECT * FROM 'in'", List.of(action("stuck")), null));

    engine.onPublished(message("in", "{}"), DEVICE); // occupies the only thread
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    engine.onPublished(message("in", "{}"), DEVICE); // fills the queue of one
    engine.onPublished(message("in", "{}"), DEVICE); // dropped

    assertThat(registry.counter("pylon.rules.messages.dropped", "reason", "queue_full").count())
        .isEqualTo(1);
    release.countDown();
  }

  @Test
  void traceIds_areDistinctRandomUuids() {
    java.util.UUID a = java.util.UUID.fromString(RuleEngine.newTraceId());
    java.util.UUID b = java.util.UUID.fromString(RuleEngine.newTraceId());

    assertThat(a).isNotEqualTo(b);
    assertThat(a.version()).isEqualTo(4);
    assertThat(a.variant()).isEqualTo(2);
  }

  private static ObjectNode action(String key) {
    ObjectNode action = JsonNodeFactory.instance.objectNode();
    action.putObject(key);
    return action;
  }

  private static ObjectNode unsupported(String key) {
    ObjectNode action = JsonNodeFactory.instance.objectNode();
    action.putObject(key).put("tableName", "t");
    return action;
  }

  private static RuleActionType blockingType(
      CountDownLatch started, CompletableFuture<Void> release) {
    return new FakeType(
        "blocking",
        invocation -> {
          started.countDown();
          return release;
        });
  }

  /** An action type whose runs do whatever the test says. */
  private record FakeType(
      String key, java.util.function.Function<ActionInvocation, CompletionStage<Void>> run)
      implements RuleActionType {

    @Override
    public RuleAction prepare(ActionDefinition definition) {
      return new RuleAction() {
        @Override
        public String failedActionName() {
          return "FakeAction";
        }

        @Override
        public String resource(ActionInvocation invocation) {
          return key;
        }

        @Override
        public CompletionStage<Void> execute(ActionInvocation invocation) {
          return run.apply(invocation);
        }

        @Override
        public ObjectNode preview(ActionInvocation invocation) {
          return JsonNodeFactory.instance.objectNode();
        }
      };
    }
  }
}
