package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class RuleSetTest {

  private static final String SINK = "http://127.0.0.1:4567/sink";

  private static RuleSet both(int rules) {
    return new RuleSet("pb-1a2b", rules, Math.max(rules, 1), 1, RuleSet.Actions.BOTH, SINK);
  }

  @Test
  void topicRulePayload_evenRule_republishesToItsOutputTopic() {
    JsonNode p = both(100).topicRulePayload(4);

    assertThat(p.path("sql").asText())
        .isEqualTo("SELECT *, topic(5) AS device FROM 'bench/pb-1a2b/in/4/+'");
    assertThat(p.path("awsIotSqlVersion").asText()).isEqualTo("2016-03-23");
    assertThat(p.path("ruleDisabled").asBoolean(true)).isFalse();
    assertThat(p.path("actions")).hasSize(1);
    JsonNode republish = p.path("actions").get(0).path("republish");
    assertThat(republish.path("topic").asText()).isEqualTo("bench/pb-1a2b/out/4");
    assertThat(republish.path("qos").asInt()).isEqualTo(1);
    assertThat(republish.path("roleArn").asText()).startsWith("arn:aws:iam::");
  }

  @Test
  void topicRulePayload_oddRule_postsUnderTheSinksConfirmationUrl() {
    JsonNode http = both(100).topicRulePayload(7).path("actions").get(0).path("http");

    assertThat(http.path("url").asText()).isEqualTo(SINK + "/7");
    assertThat(http.path("confirmationUrl").asText()).isEqualTo(SINK);
    assertThat(http.path("url").asText()).startsWith(http.path("confirmationUrl").asText());
  }

  @Test
  void destinationRequest_isAnHttpUrlConfigurationForTheSink() {
    JsonNode body = both(2).destinationRequest();

    assertThat(body.toString())
        .isEqualTo(
            "{\"destinationConfiguration\":{\"httpUrlConfiguration\":{\"confirmationUrl\":\""
                + SINK
                + "\"}}}");
  }

  @Test
  void actions_splitAsAsked() {
    assertThat(both(100).republishRules()).isEqualTo(50);
    assertThat(both(100).httpRules()).isEqualTo(50);
    assertThat(both(1).httpRules()).isZero();
    RuleSet http = new RuleSet("p", 3, 3, 0, RuleSet.Actions.HTTP, SINK);
    assertThat(http.httpRules()).isEqualTo(3);
    assertThat(http.isHttp(0)).isTrue();
    RuleSet republish = new RuleSet("p", 3, 3, 0, RuleSet.Actions.REPUBLISH, null);
    assertThat(republish.httpRules()).isZero();
    assertThat(republish.topicRulePayload(1).path("actions").get(0).has("republish")).isTrue();
    assertThat(RuleSet.Actions.parse("http")).isEqualTo(RuleSet.Actions.HTTP);
    assertThatThrownBy(() -> RuleSet.Actions.parse("lambda"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ruleName_isAValidAwsRuleName() {
    assertThat(both(10).ruleName(9)).isEqualTo("pb_1a2b_r9").matches("[a-zA-Z0-9_]+");
  }

  @Test
  void topics_eachInputTopicMatchesExactlyOneRuleFilter() {
    RuleSet set = both(3);

    assertThat(set.inputTopics(2))
        .containsExactly("bench/pb-1a2b/in/0/2", "bench/pb-1a2b/in/1/2", "bench/pb-1a2b/in/2/2");
    assertThat(set.subscribeFilter()).isEqualTo("bench/pb-1a2b/out/#");
  }

  @Test
  void baseline_subscribesToTheInputTopics() {
    RuleSet baseline = new RuleSet("pb-1a2b", 0, 100, 0, RuleSet.Actions.BOTH, null);

    assertThat(baseline.subscribeFilter()).isEqualTo("bench/pb-1a2b/in/#");
    assertThat(baseline.inputTopics(0)).hasSize(100);
    assertThat(baseline.httpRules()).isZero();
  }

  @Test
  void constructor_refusesPrefixesThatBreakSqlOrNamesAndUnmatchedTopics() {
    assertThatThrownBy(() -> new RuleSet("it's", 1, 1, 0, RuleSet.Actions.BOTH, SINK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--client-id-prefix");
    assertThatThrownBy(() -> new RuleSet("p", 10, 20, 0, RuleSet.Actions.BOTH, SINK))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
