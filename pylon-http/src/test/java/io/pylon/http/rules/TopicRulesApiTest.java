package io.pylon.http.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pylon.domain.AwsAccount;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.SqlParseException;
import io.pylon.domain.rules.DestinationConfirmations;
import io.pylon.domain.rules.MemoryTopicRuleDestinationStore;
import io.pylon.domain.rules.MemoryTopicRuleStore;
import io.pylon.domain.rules.TopicRuleDestinationService;
import io.pylon.domain.rules.TopicRuleListeners;
import io.pylon.domain.rules.TopicRuleService;
import io.pylon.domain.tagging.MemoryTagStore;
import io.pylon.domain.tagging.Tag;
import io.pylon.domain.tagging.TaggingService;
import io.pylon.http.rest.RestOperation;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicRulesApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");
  private static final String PAYLOAD =
      "{'sql':'SELECT * FROM \\'sensors/+\\'','description':'d','ruleDisabled':false,"
          + "'awsIotSqlVersion':'2016-03-23',"
          + "'actions':[{'republish':{'roleArn':'arn:aws:iam::123456789012:role/r','topic':'out','qos':1}}],"
          + "'errorAction':{'republish':{'roleArn':'arn:aws:iam::123456789012:role/r','topic':'err'}}}";

  private final MemoryTagStore tagStore = new MemoryTagStore();
  private final List<String> tokens = new ArrayList<>();
  private final Map<String, RestOperation> operations = new HashMap<>();
  private final TopicRuleService rules;
  private final TopicRuleDestinationService destinations;

  TopicRulesApiTest() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    DestinationConfirmations confirmations = (d, token, enableUrl) -> tokens.add(token);
    destinations =
        new TopicRuleDestinationService(
            ACCOUNT,
            new MemoryTopicRuleDestinationStore(),
            confirmations,
            () -> "https://localhost:8443",
            clock);
    rules =
        new TopicRuleService(
            ACCOUNT,
            new MemoryTopicRuleStore(),
            (name, payload, version) -> {
              String sql = payload.sql();
              if (!sql.startsWith("SELECT")) {
                throw new SqlParseException("no SELECT");
              }
              int from = sql.indexOf("FROM '");
              return from < 0
                  ? Optional.empty()
                  : Optional.of(sql.substring(from + 6, sql.indexOf('\'', from + 6)));
            },
            destinations,
            new TaggingService(tagStore, arn -> true),
            new TopicRuleListeners(),
            clock);
    new TopicRulesApi(rules, destinations)
        .register((service, operation, handler) -> operations.put(operation, handler));
  }

  @Test
  void registersEveryOperation() {
    assertThat(operations)
        .containsOnlyKeys(
            "CreateTopicRule",
            "GetTopicRule",
            "ReplaceTopicRule",
            "DeleteTopicRule",
            "ListTopicRules",
            "EnableTopicRule",
            "DisableTopicRule",
            "CreateTopicRuleDestination",
            "GetTopicRuleDestination",
            "ListTopicRuleDestinations",
            "UpdateTopicRuleDestination",
            "DeleteTopicRuleDestination",
            "ConfirmTopicRuleDestination");
  }

  @Test
  void createThenGet_answersTheModelShape() {
    RestResponse created =
        send(
            "CreateTopicRule",
            Map.of("ruleName", "hot"),
            Map.of(),
            Map.of("x-amz-tagging", "team=ops&cost%20center=a+b"),
            PAYLOAD);
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.body()).isEmpty();

    JsonNode got = json(send("GetTopicRule", Map.of("ruleName", "hot"), Map.of(), Map.of(), ""));

    assertThat(got)
        .isEqualTo(
            parse(
                "{'ruleArn':'arn:aws:iot:us-east-1:123456789012:rule/hot','rule':{"
                    + "'ruleName':'hot','sql':'SELECT * FROM \\'sensors/+\\'','description':'d',"
                    + "'createdAt':1767323045.678,"
                    + "'actions':[{'republish':{'roleArn':'arn:aws:iam::123456789012:role/r','topic':'out','qos':1}}],"
                    + "'ruleDisabled':false,'awsIotSqlVersion':'2016-03-23',"
                    + "'errorAction':{'republish':{'roleArn':'arn:aws:iam::123456789012:role/r','topic':'err'}}}}"));
    assertThat(tagStore.tagsOf("arn:aws:iot:us-east-1:123456789012:rule/hot"))
        .containsExactlyInAnyOrder(new Tag("team", "ops"), new Tag("cost center", "a+b"));
  }

  @Test
  void list_filtersAndReportsTopicPattern() {
    send("CreateTopicRule", Map.of("ruleName", "a"), Map.of(), Map.of(), PAYLOAD);
    send(
        "CreateTopicRule",
        Map.of("ruleName", "b"),
        Map.of(),
        Map.of(),
        "{'sql':'SELECT * FROM \\'other\\'','actions':[],'ruleDisabled':true}");

    JsonNode all = json(send("ListTopicRules", Map.of(), Map.of(), Map.of(), ""));
    JsonNode sensors =
        json(send("ListTopicRules", Map.of(), Map.of("topic", "sensors/+"), Map.of(), ""));
    JsonNode disabled =
        json(send("ListTopicRules", Map.of(), Map.of("ruleDisabled", "true"), Map.of(), ""));

    assertThat(all.get("rules")).hasSize(2);
    assertThat(all.get("rules").get(0))
        .isEqualTo(
            parse(
                "{'ruleArn':'arn:aws:iot:us-east-1:123456789012:rule/a','ruleName':'a',"
                    + "'topicPattern':'sensors/+','createdAt':1767323045.678,'ruleDisabled':false}"));
    assertThat(all.has("nextToken")).isFalse();
    assertThat(sensors.get("rules"))
        .extracting(r -> r.get("ruleName").asText())
        .containsExactly("a");
    assertThat(disabled.get("rules"))
        .extracting(r -> r.get("ruleName").asText())
        .containsExactly("b");
  }

  @Test
  void list_pagesWithNextToken_andRefusesMaxResultsOutsideTheModel() {
    for (String name : List.of("a", "b", "c")) {
      send("CreateTopicRule", Map.of("ruleName", name), Map.of(), Map.of(), PAYLOAD);
    }

    JsonNode first =
        json(send("ListTopicRules", Map.of(), Map.of("maxResults", "2"), Map.of(), ""));
    JsonNode second =
        json(
            send(
                "ListTopicRules",
                Map.of(),
                Map.of("maxResults", "2", "nextToken", first.get("nextToken").asText()),
                Map.of(),
                ""));

    assertThat(first.get("rules")).hasSize(2);
    assertThat(second.get("rules")).hasSize(1);
    assertThat(
            json(send("ListTopicRules", Map.of(), Map.of("maxResults", "10000"), Map.of(), ""))
                .get("rules"))
        .hasSize(3);
    assertThatThrownBy(
            () -> send("ListTopicRules", Map.of(), Map.of("maxResults", "10001"), Map.of(), ""))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void payloadWithoutActionsOrSql_isInvalidRequest() {
    assertThatThrownBy(
            () ->
                send(
                    "CreateTopicRule",
                    Map.of("ruleName", "r"),
                    Map.of(),
                    Map.of(),
                    "{'sql':'SELECT 1'}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("actions is required");
    assertThatThrownBy(
            () ->
                send(
                    "CreateTopicRule",
                    Map.of("ruleName", "r"),
                    Map.of(),
                    Map.of(),
                    "{'actions':[]}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("sql is required");
  }

  @Test
  void destinations_createConfirmUpdateListDelete() {
    JsonNode created =
        json(send(
                "CreateTopicRuleDestination",
                Map.of(),
                Map.of(),
                Map.of(),
                "{'destinationConfiguration':{'httpUrlConfiguration':{'confirmationUrl':'https://example.com/in'}}}"))
            .get("topicRuleDestination");
    String arn = created.get("arn").asText();

    assertThat(arn).startsWith("arn:aws:iot:us-east-1:123456789012:ruledestination/http/");
    assertThat(created.get("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(created.get("statusReason").asText()).startsWith("Awaiting confirmation");
    assertThat(created.get("createdAt").decimalValue()).isEqualByComparingTo("1767323045.678");
    assertThat(created.get("httpUrlProperties").get("confirmationUrl").asText())
        .isEqualTo("https://example.com/in");

    send(
        "ConfirmTopicRuleDestination",
        Map.of("confirmationToken", tokens.get(0)),
        Map.of(),
        Map.of(),
        "");
    send(
        "UpdateTopicRuleDestination",
        Map.of(),
        Map.of(),
        Map.of(),
        "{'arn':'" + arn + "','status':'ENABLED'}");

    JsonNode got =
        json(send("GetTopicRuleDestination", Map.of("arn", arn), Map.of(), Map.of(), ""))
            .get("topicRuleDestination");
    assertThat(got.get("status").asText()).isEqualTo("ENABLED");
    assertThat(got.has("statusReason")).isFalse();
    JsonNode listed =
        json(send("ListTopicRuleDestinations", Map.of(), Map.of(), Map.of(), ""))
            .get("destinationSummaries");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("httpUrlSummary").get("confirmationUrl").asText())
        .isEqualTo("https://example.com/in");

    send("DeleteTopicRuleDestination", Map.of("arn", arn), Map.of(), Map.of(), "");
    assertThat(
            json(send("ListTopicRuleDestinations", Map.of(), Map.of(), Map.of(), ""))
                .get("destinationSummaries"))
        .isEmpty();
  }

  @Test
  void destinations_vpcOrUnknownStatus_isInvalidRequest() {
    assertThatThrownBy(
            () ->
                send(
                    "CreateTopicRuleDestination",
                    Map.of(),
                    Map.of(),
                    Map.of(),
                    "{'destinationConfiguration':{'vpcConfiguration':{'subnetIds':['s'],'vpcId':'v','roleArn':'r'}}}"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                send(
                    "UpdateTopicRuleDestination",
                    Map.of(),
                    Map.of(),
                    Map.of(),
                    "{'arn':'x','status':'ON'}"))
        .isInstanceOf(InvalidRequestException.class);
  }

  private RestResponse send(
      String operation,
      Map<String, String> labels,
      Map<String, String> query,
      Map<String, String> headers,
      String body) {
    Map<String, List<String>> params = new HashMap<>();
    query.forEach((k, v) -> params.put(k, List.of(v)));
    return operations
        .get(operation)
        .handle(
            new RestRequest(
                operation,
                new RestRequest.Caller.SigV4("AKIDEXAMPLE", "us-east-1"),
                labels,
                params,
                headers,
                body.replace('\'', '"').replace("\\\"", "'").getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode json(RestResponse response) {
    assertThat(response.status()).isEqualTo(200);
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode parse(String singleQuoted) {
    try {
      return JSON.readTree(singleQuoted.replace('\'', '"').replace("\\\"", "'"));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
