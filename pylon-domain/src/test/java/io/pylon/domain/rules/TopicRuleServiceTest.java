package io.pylon.domain.rules;

import static io.pylon.domain.rules.TestRules.ROLE;
import static io.pylon.domain.rules.TestRules.json;
import static io.pylon.domain.rules.TestRules.payload;
import static io.pylon.domain.rules.TestRules.republish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.SqlParseException;
import io.pylon.domain.error.UnauthorizedException;
import io.pylon.domain.tagging.MemoryTagStore;
import io.pylon.domain.tagging.Tag;
import io.pylon.domain.tagging.TaggingService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicRuleServiceTest {

  private static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

  private final TestRules.MovableClock clock = new TestRules.MovableClock(T0);
  private final MemoryTagStore tagStore = new MemoryTagStore();
  private final List<String> events = new ArrayList<>();
  private final List<TopicRuleDestination> confirmationsSent = new ArrayList<>();
  private final MemoryTopicRuleDestinationStore destinationStore =
      new MemoryTopicRuleDestinationStore();
  private final TopicRuleDestinationService destinations =
      new TopicRuleDestinationService(
          ACCOUNT,
          destinationStore,
          (d, token, enableUrl) -> confirmationsSent.add(d),
          () -> "https://127.0.0.1:8443",
          clock);
  private TopicRuleService rules;

  {
    TopicRuleListeners listeners = new TopicRuleListeners();
    listeners.add(
        new TopicRuleListener() {
          @Override
          public void onRuleSaved(TopicRule rule) {
            events.add("saved " + rule.ruleName() + (rule.ruleDisabled() ? " disabled" : ""));
          }

          @Override
          public void onRuleDeleted(String ruleName) {
            events.add("deleted " + ruleName);
          }
        });
    // The tagging service asks the rules service, built next, which ARNs exist.
    TaggingService tagging = new TaggingService(tagStore, arn -> rules.exists(arn));
    rules =
        new TopicRuleService(
            ACCOUNT,
            new MemoryTopicRuleStore(),
            TestRules.FAKE_SQL,
            destinations,
            tagging,
            listeners,
            clock);
  }

  @Test
  void create_thenGet_returnsTheRuleAsStored() {
    ObjectNode errorAction = republish("errors");
    TopicRulePayload payload =
        new TopicRulePayload(
            "SELECT temp FROM 'sensors/+/telemetry' WHERE temp > 50",
            Optional.of("hot devices"),
            List.of(republish("alerts")),
            false,
            Optional.of("2016-03-23"),
            Optional.of(errorAction));

    rules.createTopicRule("hot", payload, List.of());
    TopicRule rule = rules.getTopicRule("hot");

    assertThat(rule.ruleArn()).isEqualTo("arn:aws:iot:us-east-1:123456789012:rule/hot");
    assertThat(rule.sql()).isEqualTo(payload.sql());
    assertThat(rule.description()).contains("hot devices");
    assertThat(rule.topicPattern()).contains("sensors/+/telemetry");
    assertThat(rule.createdAt()).isEqualTo(T0);
    assertThat(rule.actions()).containsExactly(republish("alerts"));
    assertThat(rule.errorAction()).contains(errorAction);
    assertThat(rule.ruleDisabled()).isFalse();
    assertThat(rule.awsIotSqlVersion()).isEqualTo("2016-03-23");
    assertThat(events).containsExactly("saved hot");
  }

  @Test
  void create_withoutSqlVersion_defaultsTo20151008() {
    rules.createTopicRule("r", payload("SELECT * FROM 'a'"), List.of());

    assertThat(rules.getTopicRule("r").awsIotSqlVersion()).isEqualTo("2015-10-08");
  }

  @Test
  void rule_cannotBeChangedThroughItsJson() {
    TopicRule rule =
        rules.createTopicRule("r", payload("SELECT * FROM 'a'", republish("x")), List.of());

    rule.actions().get(0).put("sneaky", 1);

    assertThat(rules.getTopicRule("r").actions()).containsExactly(republish("x"));
  }

  @Test
  void withAllRules_handsOverTheRulesStoredBeforeAnyLaterChange() {
    rules.createTopicRule("b", payload("SELECT * FROM 'b'"), List.of());
    rules.createTopicRule("a", payload("SELECT * FROM 'a'"), List.of());
    List<String> loaded = new ArrayList<>();

    rules.withAllRules(all -> all.forEach(r -> loaded.add(r.ruleName())));
    rules.deleteTopicRule("a");

    assertThat(loaded).containsExactly("a", "b");
    assertThat(rules.all()).extracting(TopicRule::ruleName).containsExactly("b");
  }

  @Test
  void create_twice_isResourceAlreadyExists() {
    rules.createTopicRule("r", payload("SELECT * FROM 'a'"), List.of());

    assertThatThrownBy(() -> rules.createTopicRule("r", payload("SELECT * FROM 'b'"), List.of()))
        .isInstanceOf(ResourceAlreadyExistsException.class);
    assertThat(rules.getTopicRule("r").topicPattern()).contains("a");
  }

  @Test
  void create_withBadSql_isSqlParseException() {
    assertThatThrownBy(() -> rules.createTopicRule("r", payload("DELETE FROM 'a'"), List.of()))
        .isInstanceOf(SqlParseException.class);
    assertThat(rules.find("r")).isEmpty();
    assertThat(events).isEmpty();
  }

  static Stream<Arguments> invalidRules() {
    ObjectNode[] eleven =
        IntStream.range(0, 11).mapToObj(i -> republish("t")).toArray(ObjectNode[]::new);
    return Stream.of(
        Arguments.of("empty name", "", payload("SELECT * FROM 'a'")),
        Arguments.of("name with dash", "my-rule", payload("SELECT * FROM 'a'")),
        Arguments.of("name of 129", "r".repeat(129), payload("SELECT * FROM 'a'")),
        Arguments.of("blank sql", "r", payload(" ")),
        Arguments.of("eleven actions", "r", payload("SELECT * FROM 'a'", eleven)),
        Arguments.of("unknown action", "r", payload("SELECT * FROM 'a'", json("{'fax':{}}"))),
        Arguments.of(
            "two types in one action",
            "r",
            payload(
                "SELECT * FROM 'a'",
                json("{'lambda':{'functionArn':'f'},'sqs':{'roleArn':'r','queueUrl':'q'}}"))),
        Arguments.of("empty action", "r", payload("SELECT * FROM 'a'", json("{}"))),
        Arguments.of(
            "republish without topic",
            "r",
            payload("SELECT * FROM 'a'", json("{'republish':{'roleArn':'" + ROLE + "'}}"))),
        Arguments.of(
            "republish qos 2",
            "r",
            payload(
                "SELECT * FROM 'a'", json("{'republish':{'roleArn':'r','topic':'t','qos':2}}"))),
        Arguments.of(
            "republish qos as text",
            "r",
            payload(
                "SELECT * FROM 'a'", json("{'republish':{'roleArn':'r','topic':'t','qos':'1'}}"))),
        Arguments.of(
            "lambda without functionArn", "r", payload("SELECT * FROM 'a'", json("{'lambda':{}}"))),
        Arguments.of(
            "dynamoDB without hashKeyValue",
            "r",
            payload(
                "SELECT * FROM 'a'",
                json("{'dynamoDB':{'tableName':'t','roleArn':'r','hashKeyField':'k'}}"))),
        Arguments.of(
            "dynamoDB bad key type",
            "r",
            payload(
                "SELECT * FROM 'a'",
                json(
                    "{'dynamoDB':{'tableName':'t','roleArn':'r','hashKeyField':'k','hashKeyValue':'v','hashKeyType':'BLOB'}}"))),
        Arguments.of(
            "dynamoDBv2 without putItem.tableName",
            "r",
            payload("SELECT * FROM 'a'", json("{'dynamoDBv2':{'roleArn':'r','putItem':{}}}"))),
        Arguments.of(
            "s3 without key",
            "r",
            payload("SELECT * FROM 'a'", json("{'s3':{'roleArn':'r','bucketName':'b'}}"))),
        Arguments.of(
            "sqs without queueUrl",
            "r",
            payload("SELECT * FROM 'a'", json("{'sqs':{'roleArn':'r'}}"))),
        Arguments.of(
            "sns bad messageFormat",
            "r",
            payload(
                "SELECT * FROM 'a'",
                json("{'sns':{'roleArn':'r','targetArn':'t','messageFormat':'XML'}}"))),
        Arguments.of(
            "kinesis without streamName",
            "r",
            payload("SELECT * FROM 'a'", json("{'kinesis':{'roleArn':'r'}}"))),
        Arguments.of(
            "firehose bad separator",
            "r",
            payload(
                "SELECT * FROM 'a'",
                json("{'firehose':{'roleArn':'r','deliveryStreamName':'d','separator':';'}}"))),
        Arguments.of(
            "timestream without dimensions",
            "r",
            payload(
                "SELECT * FROM 'a'",
                json("{'timestream':{'roleArn':'r','databaseName':'d','tableName':'t'}}"))),
        Arguments.of(
            "kafka without clientProperties",
            "r",
            payload("SELECT * FROM 'a'", json("{'kafka':{'destinationArn':'d','topic':'t'}}"))),
        Arguments.of(
            "openSearch endpoint not a URL",
            "r",
            payload(
                "SELECT * FROM 'a'",
                json(
                    "{'openSearch':{'roleArn':'r','endpoint':'search','index':'i','type':'t','id':'x'}}"))),
        Arguments.of("http without url", "r", payload("SELECT * FROM 'a'", json("{'http':{}}"))),
        Arguments.of(
            "http to plain http elsewhere",
            "r",
            payload("SELECT * FROM 'a'", json("{'http':{'url':'http://example.com/in'}}"))),
        Arguments.of(
            "http url too long",
            "r",
            payload(
                "SELECT * FROM 'a'",
                json("{'http':{'url':'https://example.com/" + "x".repeat(2000) + "'}}"))),
        Arguments.of(
            "http url outside confirmationUrl",
            "r",
            payload(
                "SELECT * FROM 'a'",
                json(
                    "{'http':{'url':'https://example.com/in','confirmationUrl':'https://other.com'}}"))),
        Arguments.of(
            "http template url without confirmationUrl",
            "r",
            payload(
                "SELECT * FROM 'a'", json("{'http':{'url':'https://example.com/${topic()}'}}"))),
        Arguments.of(
            "http 101 headers",
            "r",
            payload(
                "SELECT * FROM 'a'",
                json(
                    "{'http':{'url':'https://example.com','headers':["
                        + String.join(
                            ",", java.util.Collections.nCopies(101, "{'key':'k','value':'v'}"))
                        + "]}}"))),
        Arguments.of(
            "bad sql version",
            "r",
            new TopicRulePayload(
                "SELECT * FROM 'a'",
                Optional.empty(),
                List.of(),
                false,
                Optional.of("2020-01-01"),
                Optional.empty())),
        Arguments.of(
            "unknown error action",
            "r",
            new TopicRulePayload(
                "SELECT * FROM 'a'",
                Optional.empty(),
                List.of(),
                false,
                Optional.empty(),
                Optional.of(json("{'fax':{}}")))),
        Arguments.of(
            "payload over 256 KB",
            "r",
            new TopicRulePayload(
                "SELECT * FROM 'a'",
                Optional.of("d".repeat(256 * 1024)),
                List.of(),
                false,
                Optional.empty(),
                Optional.empty())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRules")
  void create_invalid_isInvalidRequestAndStoresNothing(
      String why, String name, TopicRulePayload payload) {
    assertThatThrownBy(() -> rules.createTopicRule(name, payload, List.of()))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(rules.all()).isEmpty();
    assertThat(events).isEmpty();
  }

  static Stream<Arguments> validActions() {
    return Stream.of(
        Arguments.of(
            json(
                "{'republish':{'roleArn':'r','topic':'t/${topic(2)}','qos':1,'headers':{'contentType':'json','userProperties':[{'key':'k','value':'v'}]}}}")),
        Arguments.of(
            json("{'lambda':{'functionArn':'arn:aws:lambda:us-east-1:123456789012:function:f'}}")),
        Arguments.of(
            json(
                "{'dynamoDB':{'tableName':'t','roleArn':'r','hashKeyField':'k','hashKeyValue':'${id}','hashKeyType':'STRING'}}")),
        Arguments.of(json("{'dynamoDBv2':{'roleArn':'r','putItem':{'tableName':'t'}}}")),
        Arguments.of(
            json(
                "{'s3':{'roleArn':'r','bucketName':'b','key':'${topic()}','cannedAcl':'private'}}")),
        Arguments.of(json("{'sqs':{'roleArn':'r','queueUrl':'q','useBase64':true}}")),
        Arguments.of(json("{'sns':{'roleArn':'r','targetArn':'t','messageFormat':'JSON'}}")),
        Arguments.of(json("{'kinesis':{'roleArn':'r','streamName':'s','partitionKey':'p'}}")),
        Arguments.of(json("{'firehose':{'roleArn':'r','deliveryStreamName':'d','separator':','}}")),
        Arguments.of(
            json(
                "{'cloudwatchMetric':{'roleArn':'r','metricNamespace':'n','metricName':'m','metricValue':'1','metricUnit':'Count'}}")),
        Arguments.of(
            json(
                "{'kafka':{'destinationArn':'d','topic':'t','clientProperties':{'bootstrap.servers':'h:9092'}}}")),
        Arguments.of(
            json(
                "{'timestream':{'roleArn':'r','databaseName':'d','tableName':'t','dimensions':[{'name':'n','value':'v'}]}}")),
        Arguments.of(
            json(
                "{'http':{'url':'https://example.com/in/${topic()}','confirmationUrl':'https://example.com/in','headers':[{'key':'k','value':'v'}]}}")),
        Arguments.of(json("{'http':{'url':'http://127.0.0.1:9000/in'}}")),
        Arguments.of(
            json(
                "{'location':{'roleArn':'r','trackerName':'t','deviceId':'d','latitude':'1','longitude':'2'}}")),
        Arguments.of(json("{'republish':{'roleArn':'r','topic':'t','futureMember':{'x':1}}}")));
  }

  @ParameterizedTest
  @MethodSource("validActions")
  void create_validAction_isStoredAsSent(ObjectNode action) {
    rules.createTopicRule("r", payload("SELECT * FROM 'a'", action), List.of());

    assertThat(rules.getTopicRule("r").actions()).containsExactly(action);
  }

  @Test
  void unknownRule_isUnauthorized() {
    assertThatThrownBy(() -> rules.getTopicRule("nope")).isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> rules.deleteTopicRule("nope"))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> rules.enableTopicRule("nope"))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> rules.replaceTopicRule("nope", payload("SELECT * FROM 'a'")))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void replace_keepsCreationDateAndTags_andNotifies() {
    rules.createTopicRule("r", payload("SELECT * FROM 'a'"), List.of(new Tag("team", "x")));
    clock.advance(java.time.Duration.ofMinutes(5));

    rules.replaceTopicRule("r", payload("SELECT * FROM 'b'", republish("out")));

    TopicRule rule = rules.getTopicRule("r");
    assertThat(rule.topicPattern()).contains("b");
    assertThat(rule.actions()).containsExactly(republish("out"));
    assertThat(rule.createdAt()).isEqualTo(T0);
    assertThat(tagStore.tagsOf(rule.ruleArn())).containsExactly(new Tag("team", "x"));
    assertThat(events).containsExactly("saved r", "saved r");
  }

  @Test
  void disableEnable_flipsTheFlag_andNotifies() {
    rules.createTopicRule("r", payload("SELECT * FROM 'a'"), List.of());

    rules.disableTopicRule("r");
    assertThat(rules.getTopicRule("r").ruleDisabled()).isTrue();
    rules.enableTopicRule("r");

    assertThat(rules.getTopicRule("r").ruleDisabled()).isFalse();
    assertThat(events).containsExactly("saved r", "saved r disabled", "saved r");
  }

  @Test
  void delete_removesRuleAndTags_andNotifies() {
    rules.createTopicRule("r", payload("SELECT * FROM 'a'"), List.of(new Tag("k", "v")));
    String arn = rules.arn("r");

    rules.deleteTopicRule("r");

    assertThat(rules.find("r")).isEmpty();
    assertThat(rules.exists(arn)).isFalse();
    assertThat(tagStore.tagsOf(arn)).isEmpty();
    assertThat(events).containsExactly("saved r", "deleted r");
  }

  @Test
  void create_withInvalidTag_storesNothing() {
    assertThatThrownBy(
            () ->
                rules.createTopicRule(
                    "r", payload("SELECT * FROM 'a'"), List.of(new Tag("aws:reserved", "v"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(rules.find("r")).isEmpty();
  }

  @Test
  void list_filtersByTopicAndDisabled_andPages() {
    rules.createTopicRule("a1", payload("SELECT * FROM 'x/+'"), List.of());
    rules.createTopicRule("a2", payload("SELECT * FROM 'x/#'"), List.of());
    rules.createTopicRule("a3", payload("SELECT * FROM 'x/+'"), List.of());
    rules.createTopicRule("a4", payload("SELECT * FROM 'x/+'"), List.of());
    rules.disableTopicRule("a3");

    assertThat(
            names(
                rules.listTopicRules(
                    Optional.of("x/+"), Optional.empty(), PageRequest.firstDefault())))
        .containsExactly("a1", "a3", "a4");
    assertThat(
            names(
                rules.listTopicRules(
                    Optional.of("x/+"), Optional.of(false), PageRequest.firstDefault())))
        .containsExactly("a1", "a4");
    assertThat(
            names(
                rules.listTopicRules(
                    Optional.empty(), Optional.of(true), PageRequest.firstDefault())))
        .containsExactly("a3");

    Page<TopicRule> first =
        rules.listTopicRules(Optional.empty(), Optional.empty(), PageRequest.first(3));
    assertThat(names(first)).containsExactly("a1", "a2", "a3");
    Page<TopicRule> second =
        rules.listTopicRules(
            Optional.empty(), Optional.empty(), new PageRequest(3, first.nextToken()));
    assertThat(names(second)).containsExactly("a4");
    assertThat(second.nextToken()).isEmpty();
  }

  @Test
  void httpAction_withoutDestination_createsOneInProgress_andStillSavesTheRule() {
    rules.createTopicRule(
        "h",
        payload(
            "SELECT * FROM 'a'",
            json(
                "{'http':{'url':'https://example.com/in/x','confirmationUrl':'https://example.com/in'}}")),
        List.of());

    assertThat(rules.find("h")).isPresent();
    assertThat(confirmationsSent).hasSize(1);
    TopicRuleDestination created = confirmationsSent.get(0);
    assertThat(created.confirmationUrl()).isEqualTo("https://example.com/in");
    assertThat(created.status()).isEqualTo(TopicRuleDestinationStatus.IN_PROGRESS);
    assertThat(destinations.enabledDestinationFor("https://example.com/in/x")).isEmpty();
  }

  @Test
  void httpAction_coveredByExistingDestination_createsNone() {
    destinations.createTopicRuleDestination("https://example.com");
    confirmationsSent.clear();

    rules.createTopicRule(
        "h",
        payload("SELECT * FROM 'a'", json("{'http':{'url':'https://example.com/in'}}")),
        List.of());
    rules.createTopicRule(
        "t",
        payload(
            "SELECT * FROM 'a'",
            json("{'http':{'url':'https://${x}.org/in','confirmationUrl':'https://${x}.org'}}")),
        List.of());

    assertThat(confirmationsSent).isEmpty();
    assertThat(destinationStore.all()).hasSize(1);
  }

  @Test
  void httpAction_urlWithoutConfirmationUrl_createsDestinationForTheUrl() {
    rules.createTopicRule(
        "h",
        payload("SELECT * FROM 'a'", json("{'http':{'url':'https://example.com/hook'}}")),
        List.of());

    assertThat(confirmationsSent)
        .extracting(TopicRuleDestination::confirmationUrl)
        .containsExactly("https://example.com/hook");
  }

  private static List<String> names(Page<TopicRule> page) {
    return page.items().stream().map(TopicRule::ruleName).toList();
  }
}
