package io.pylon.server.rules.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.rules.action.ActionDefinition;
import io.pylon.domain.rules.action.ActionFailedException;
import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.action.RuleAction;
import io.pylon.domain.rules.sql.IncomingMessage;
import io.pylon.domain.rules.sql.SqlEnvironment;
import io.pylon.domain.rules.sql.SqlStatement;
import io.pylon.domain.rules.sql.SqlVersion;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.topic.TopicRules;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class RepublishActionTypeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SqlStatement STATEMENT =
      SqlStatement.compile("SELECT * FROM '#'", SqlVersion.V2016_03_23);
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
  private static final SqlEnvironment ENV = new FixedEnvironment(CLOCK.millis());

  private final List<ApplicationMessage> published = new ArrayList<>();
  private final RepublishActionType type =
      new RepublishActionType(published::add, new TopicRules(256, 8, false), CLOCK);

  private RuleAction prepare(String json) throws Exception {
    return type.prepare(
        new ActionDefinition("r", (ObjectNode) JSON.readTree(json), STATEMENT, false));
  }

  private static ActionInvocation invocation(String topic, String payload) {
    IncomingMessage message =
        IncomingMessage.builder(topic, payload.getBytes(StandardCharsets.UTF_8))
            .clientId("dev-1")
            .build();
    return new ActionInvocation("r", message, "{\"out\":1}".getBytes(StandardCharsets.UTF_8), ENV);
  }

  @Test
  void topicTemplate_isRenderedAgainstTheIncomingMessage() throws Exception {
    RuleAction action =
        prepare(
            "{\"roleArn\":\"arn:aws:iam::1:role/r\",\"topic\":\"out/${topic(2)}/${id}\",\"qos\":1}");

    action.execute(invocation("in/kitchen", "{\"id\":\"7\"}")).toCompletableFuture().join();

    assertThat(published).hasSize(1);
    ApplicationMessage m = published.get(0);
    assertThat(m.topic()).isEqualTo("out/kitchen/7");
    assertThat(m.qos().value()).isEqualTo(1);
    assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"out\":1}");
    assertThat(m.retain()).isFalse();
  }

  @Test
  void doubleDollar_republishesToAReservedTopic() throws Exception {
    RuleAction action =
        prepare(
            "{\"roleArn\":\"arn:aws:iam::1:role/r\",\"topic\":\"$$aws/things/${topic(2)}/shadow/update\"}");

    action.execute(invocation("in/lamp", "{}")).toCompletableFuture().join();

    assertThat(published.get(0).topic()).isEqualTo("$aws/things/lamp/shadow/update");
  }

  @Test
  void mqtt5Headers_areRenderedIntoTheRepublishedMessage() throws Exception {
    RuleAction action =
        prepare(
            "{\"roleArn\":\"arn:aws:iam::1:role/r\",\"topic\":\"out\",\"headers\":{"
                + "\"payloadFormatIndicator\":\"UTF8_DATA\",\"contentType\":\"application/json\","
                + "\"responseTopic\":\"reply/${clientid()}\",\"correlationData\":\"AQID\","
                + "\"messageExpiry\":\"60\","
                + "\"userProperties\":[{\"key\":\"device\",\"value\":\"${clientid()}\"}]}}");

    action.execute(invocation("in", "{}")).toCompletableFuture().join();

    ApplicationMessage m = published.get(0);
    assertThat(m.properties().payloadFormatIndicator()).isEqualTo(1);
    assertThat(m.properties().contentType()).isEqualTo("application/json");
    assertThat(m.properties().responseTopic()).isEqualTo("reply/dev-1");
    assertThat(m.properties().correlationData()).containsExactly(1, 2, 3);
    assertThat(m.properties().userProperties())
        .containsExactly(new UserProperty("device", "dev-1"));
    assertThat(m.expiresAtMillis()).isEqualTo(CLOCK.millis() + 60_000);
  }

  @Test
  void invalidConfigurations_areRefusedWhenTheRuleIsSaved() {
    assertThatThrownBy(() -> prepare("{\"roleArn\":\"arn:aws:iam::1:role/r\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("actions[].republish.topic is required");
    assertThatThrownBy(() -> prepare("{\"roleArn\":\"a\",\"topic\":\"t\",\"qos\":2}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("qos must be between 0 and 1");
    assertThatThrownBy(() -> prepare("{\"roleArn\":\"a\",\"topic\":\"a/+/b\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not a topic name");
    assertThatThrownBy(() -> prepare("{\"roleArn\":\"a\",\"topic\":\"$$aws/rules/x/y\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Basic Ingest");
    assertThatThrownBy(() -> prepare("{\"topic\":\"t\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("actions[].republish.roleArn is required");
  }

  @Test
  void renderedTopicThatIsNotATopic_failsTheRun() throws Exception {
    RuleAction action = prepare("{\"roleArn\":\"a\",\"topic\":\"out/${kind}\"}");

    assertThatThrownBy(
            () -> action.execute(invocation("in", "{\"kind\":\"#\"}")).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ActionFailedException.class)
        .hasMessageContaining("not a topic name");
    assertThat(published).isEmpty();
  }

  @Test
  void preview_rendersWithoutPublishing() throws Exception {
    RuleAction action = prepare("{\"roleArn\":\"a\",\"topic\":\"out/${topic(1)}\",\"qos\":1}");

    ObjectNode preview = action.preview(invocation("in", "{}"));

    assertThat(preview.get("topic").asText()).isEqualTo("out/in");
    assertThat(preview.get("qos").asInt()).isEqualTo(1);
    assertThat(published).isEmpty();
  }

  @Test
  void errorActionTemplates_mayNotCallExternalFunctions() {
    assertThatThrownBy(
            () ->
                type.prepare(
                    new ActionDefinition(
                        "r",
                        (ObjectNode)
                            JSON.readTree(
                                "{\"roleArn\":\"a\",\"topic\":\"e/${get_secret('s', 'SecretString', 'k', 'arn:aws:iam::1:role/r')}\"}"),
                        STATEMENT,
                        true)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cannot call external functions");
  }

  @Test
  void templates_seeTheStatementsSetVariables() throws Exception {
    SqlStatement withVariable =
        SqlStatement.compile(
            "SET @room = upper(topic(2)) SELECT * FROM 'in/+'", SqlVersion.V2016_03_23);
    RuleAction action =
        type.prepare(
            new ActionDefinition(
                "r",
                (ObjectNode) JSON.readTree("{\"roleArn\":\"a\",\"topic\":\"rooms/${@room}\"}"),
                withVariable,
                false));

    action.execute(invocation("in/kitchen", "{}")).toCompletableFuture().join();

    assertThat(published.get(0).topic()).isEqualTo("rooms/KITCHEN");
  }
}
