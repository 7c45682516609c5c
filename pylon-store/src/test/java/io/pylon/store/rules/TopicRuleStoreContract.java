package io.pylon.store.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.rules.TopicRule;
import io.pylon.domain.rules.TopicRuleStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TopicRuleStore} must do; subclasses supply the store. */
abstract class TopicRuleStoreContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant CREATED = Instant.parse("2026-03-04T05:06:07.089Z");

  private TopicRuleStore rules;

  protected abstract TopicRuleStore open();

  @BeforeEach
  void openStore() {
    rules = open();
  }

  @Test
  void create_thenFind_roundTripsEveryField() {
    TopicRule full =
        new TopicRule(
            "full",
            "arn:aws:iot:us-east-1:123456789012:rule/full",
            "SELECT temp FROM 'sensors/+' WHERE temp > 50",
            Optional.of("hot ☀ devices"),
            Optional.of("sensors/+"),
            CREATED,
            List.of(
                json("{\"republish\":{\"roleArn\":\"r\",\"topic\":\"t/${topic(2)}\",\"qos\":1}}"),
                json(
                    "{\"http\":{\"url\":\"https://example.com\",\"headers\":[{\"key\":\"k\",\"value\":\"v\"}]}}")),
            Optional.of(json("{\"republish\":{\"roleArn\":\"r\",\"topic\":\"errors\"}}")),
            true,
            "2016-03-23");
    TopicRule bare = rule("bare", "a", false).withDisabled(false);

    assertThat(rules.create(full)).isTrue();
    assertThat(rules.create(bare)).isTrue();

    assertThat(rules.find("full")).contains(full);
    assertThat(rules.find("bare")).contains(bare);
    assertThat(rules.find("none")).isEmpty();
  }

  @Test
  void create_existingName_isRefusedAndKeepsTheFirst() {
    TopicRule first = rule("r", "a", false);
    rules.create(first);

    assertThat(rules.create(rule("r", "b", true))).isFalse();
    assertThat(rules.find("r")).contains(first);
  }

  @Test
  void replace_onlyExistingRules() {
    assertThat(rules.replace(rule("r", "a", false))).isFalse();
    assertThat(rules.find("r")).isEmpty();

    rules.create(rule("r", "a", false));
    TopicRule replaced = rule("r", "b", true);

    assertThat(rules.replace(replaced)).isTrue();
    assertThat(rules.find("r")).contains(replaced);
  }

  @Test
  void setDisabled_changesOnlyTheFlag() {
    TopicRule r = rule("r", "a", false);
    rules.create(r);

    assertThat(rules.setDisabled("r", true)).contains(r.withDisabled(true));
    assertThat(rules.find("r")).contains(r.withDisabled(true));
    assertThat(rules.setDisabled("r", false)).contains(r);
    assertThat(rules.setDisabled("none", true)).isEmpty();
  }

  @Test
  void delete_removesOnce() {
    rules.create(rule("r", "a", false));

    assertThat(rules.delete("r")).isTrue();
    assertThat(rules.delete("r")).isFalse();
    assertThat(rules.find("r")).isEmpty();
  }

  @Test
  void list_inNameOrder_filtered_andPaged() {
    for (String name : List.of("b_2", "a_1", "B_0", "c_3", "a_10")) {
      rules.create(rule(name, name.startsWith("a") ? "x/+" : "y", name.equals("c_3")));
    }

    assertThat(names(rules.list(PageRequest.firstDefault(), Optional.empty(), Optional.empty())))
        .containsExactly("B_0", "a_1", "a_10", "b_2", "c_3");
    assertThat(names(rules.list(PageRequest.firstDefault(), Optional.of("x/+"), Optional.empty())))
        .containsExactly("a_1", "a_10");
    assertThat(names(rules.list(PageRequest.firstDefault(), Optional.of("y"), Optional.of(false))))
        .containsExactly("B_0", "b_2");
    assertThat(names(rules.list(PageRequest.firstDefault(), Optional.empty(), Optional.of(true))))
        .containsExactly("c_3");

    Page<TopicRule> first = rules.list(PageRequest.first(2), Optional.empty(), Optional.empty());
    Page<TopicRule> second =
        rules.list(new PageRequest(2, first.nextToken()), Optional.empty(), Optional.empty());
    Page<TopicRule> third =
        rules.list(new PageRequest(2, second.nextToken()), Optional.empty(), Optional.empty());
    assertThat(names(first)).containsExactly("B_0", "a_1");
    assertThat(names(second)).containsExactly("a_10", "b_2");
    assertThat(names(third)).containsExactly("c_3");
    assertThat(third.nextToken()).isEmpty();
  }

  @Test
  void list_foreignToken_isInvalidRequest() {
    assertThatThrownBy(
            () ->
                rules.list(
                    new PageRequest(5, Optional.of("not-a-token")),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void all_returnsEveryRuleInNameOrder() {
    rules.create(rule("z", "a", false));
    rules.create(rule("m", "b", true));

    assertThat(rules.all()).extracting(TopicRule::ruleName).containsExactly("m", "z");
  }

  private static TopicRule rule(String name, String topic, boolean disabled) {
    return new TopicRule(
        name,
        "arn:aws:iot:us-east-1:123456789012:rule/" + name,
        "SELECT * FROM '" + topic + "'",
        Optional.empty(),
        Optional.of(topic),
        CREATED,
        List.of(),
        Optional.empty(),
        disabled,
        "2015-10-08");
  }

  private static List<String> names(Page<TopicRule> page) {
    return page.items().stream().map(TopicRule::ruleName).toList();
  }

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
