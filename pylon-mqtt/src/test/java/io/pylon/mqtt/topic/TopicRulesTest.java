package io.pylon.mqtt.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.mqtt.topic.TopicRules.Verdict;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicRulesTest {

  /** AWS IoT Core: 256 bytes, 8 levels, only {@code $aws/} among the dollar topics. */
  private static final TopicRules AWS = new TopicRules(256, 8, false);

  /**
   * The specification's bounds: a topic is at most 65535 bytes; levels are unbounded in practice.
   */
  private static final TopicRules MQTT = new TopicRules(65_535, 65_535, true);

  private static String repeat(String s, int n) {
    return s.repeat(n);
  }

  /** {@code n} levels of one character each: "a/a/.../a". */
  private static String levels(int n) {
    return String.join("/", java.util.Collections.nCopies(n, "a"));
  }

  @Nested
  class TopicNames {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "a",
          "a/b",
          "a/b/c",
          "/",
          "//",
          "a//b",
          "/a",
          "a/",
          " ",
          "a b/c d",
          "é/€/😀",
          "$aws/things/t/shadow/update",
          "dt/fleet/device-1/telemetry"
        })
    void valid(String topic) {
      assertThat(MQTT.checkTopicName(topic)).isEqualTo(Verdict.OK);
      assertThat(AWS.checkTopicName(topic)).isEqualTo(Verdict.OK);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "+",
          "#",
          "a/+",
          "a/#",
          "a+",
          "a/b#",
          "+/a",
          "sport/tennis/#",
          "a\u0000b",
          "bad\uFFFDutf8"
        })
    void wildcards_nul_and_replacement_characters_are_malformed(String topic) {
      assertThat(MQTT.checkTopicName(topic)).isEqualTo(Verdict.MALFORMED);
      assertThat(AWS.checkTopicName(topic)).isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void empty_topic_is_malformed() {
      assertThat(MQTT.checkTopicName("")).isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void length_limit_is_in_utf8_bytes_not_chars() {
      // 'é' is 2 bytes, '€' 3, '😀' (a surrogate pair) 4: each topic below is exactly 256 bytes.
      assertThat(AWS.checkTopicName(repeat("a", 256))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkTopicName(repeat("é", 128))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkTopicName(repeat("😀", 64))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkTopicName("a" + repeat("€", 85))).isEqualTo(Verdict.OK);

      assertThat(AWS.checkTopicName(repeat("a", 257))).isEqualTo(Verdict.TOO_LONG);
      assertThat(AWS.checkTopicName(repeat("é", 129))).isEqualTo(Verdict.TOO_LONG);
      assertThat(AWS.checkTopicName(repeat("😀", 64) + "a")).isEqualTo(Verdict.TOO_LONG);
      assertThat(AWS.checkTopicName("ab" + repeat("€", 85))).isEqualTo(Verdict.TOO_LONG);
      // 129 chars but 258 bytes: a char count would wrongly accept it.
      assertThat(repeat("é", 129).length()).isLessThan(256);
    }

    @Test
    void level_limit_counts_levels_not_slashes() {
      assertThat(AWS.checkTopicName(levels(8))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkTopicName(levels(9))).isEqualTo(Verdict.TOO_MANY_LEVELS);
      // Empty levels count as levels: 7 slashes are 8 levels, 8 slashes are 9.
      assertThat(AWS.checkTopicName(repeat("/", 7))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkTopicName(repeat("/", 8))).isEqualTo(Verdict.TOO_MANY_LEVELS);
    }

    @Test
    void basic_ingest_prefix_is_not_counted_towards_levels() {
      String prefix = "$aws/rules/myRule/";
      assertThat(AWS.checkTopicName(prefix + levels(8))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkTopicName(prefix + levels(9))).isEqualTo(Verdict.TOO_MANY_LEVELS);
      // Without the prefix, the same 8 levels plus "$aws/other/x/" are 11 levels.
      assertThat(AWS.checkTopicName("$aws/other/x/" + levels(8)))
          .isEqualTo(Verdict.TOO_MANY_LEVELS);
    }

    @Test
    void basic_ingest_prefix_is_not_counted_towards_length() {
      String prefix = "$aws/rules/" + repeat("r", 100) + "/";
      assertThat(AWS.checkTopicName(prefix + repeat("a", 256))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkTopicName(prefix + repeat("a", 257))).isEqualTo(Verdict.TOO_LONG);
      assertThat(AWS.checkTopicName("$aws/other/" + repeat("a", 250))).isEqualTo(Verdict.TOO_LONG);
    }

    @Test
    void basic_ingest_topic_without_a_level_after_the_rule_is_counted_whole() {
      // No slash after the rule name: nothing to strip, so the whole topic counts.
      assertThat(AWS.checkTopicName("$aws/rules/" + repeat("r", 245))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkTopicName("$aws/rules/" + repeat("r", 246))).isEqualTo(Verdict.TOO_LONG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"$SYS/broker/load", "$foo", "$", "$AWS/things/x", "$awsx/y", "$aws"})
    void other_dollar_topics_are_reserved_when_the_profile_forbids_them(String topic) {
      assertThat(AWS.checkTopicName(topic)).isEqualTo(Verdict.RESERVED);
      assertThat(MQTT.checkTopicName(topic)).isEqualTo(Verdict.OK);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "$aws/things/t/shadow/update",
          "$aws/rules/r/a",
          "$aws/events/presence/connected/c"
        })
    void aws_dollar_topics_are_allowed(String topic) {
      assertThat(AWS.checkTopicName(topic)).isEqualTo(Verdict.OK);
    }

    @Test
    void dollar_is_only_special_as_the_first_character() {
      assertThat(AWS.checkTopicName("a/$foo")).isEqualTo(Verdict.OK);
    }

    @Test
    void malformed_wins_over_reserved_and_length() {
      assertThat(AWS.checkTopicName("$foo/+")).isEqualTo(Verdict.MALFORMED);
      assertThat(AWS.checkTopicName(repeat("a", 300) + "#")).isEqualTo(Verdict.MALFORMED);
    }
  }

  @Nested
  class Filters {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "#",
          "+",
          "+/+",
          "a/+",
          "+/a",
          "a/+/b",
          "a/#",
          "+/#",
          "/#",
          "/+",
          "+/",
          "//",
          "a//b",
          "a/+/+/#",
          "sport/tennis/player1/#",
          "$SYS/#",
          "$aws/things/+/shadow/#",
          "é/+/😀"
        })
    void valid(String filter) {
      assertThat(MQTT.checkFilter(filter)).as(filter).isEqualTo(Verdict.OK);
      assertThat(MQTT.parseFilter(filter)).isEqualTo(new TopicFilter(filter, filter, null));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "a+",
          "+a",
          "a/b+",
          "a/+b",
          "++",
          "a/++/b",
          "#/a",
          "a/#/b",
          "a#",
          "a/b#",
          "##",
          "#/",
          "+#",
          "a/#/",
          "a\u0000b",
          "bad\uFFFD"
        })
    void misplaced_wildcards_are_malformed(String filter) {
      assertThat(MQTT.checkFilter(filter)).as(filter).isEqualTo(Verdict.MALFORMED);
      assertThat(MQTT.parseFilter(filter)).isNull();
    }

    @Test
    void empty_filter_is_malformed() {
      assertThat(MQTT.checkFilter("")).isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void limits_apply_to_filters_in_bytes_and_levels() {
      assertThat(AWS.checkFilter(repeat("é", 128))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkFilter(repeat("é", 128) + "/#")).isEqualTo(Verdict.TOO_LONG);
      assertThat(AWS.checkFilter("+/+/+/+/+/+/+/#")).isEqualTo(Verdict.OK);
      assertThat(AWS.checkFilter("+/+/+/+/+/+/+/+/#")).isEqualTo(Verdict.TOO_MANY_LEVELS);
      assertThat(AWS.checkFilter("$aws/rules/r/+/+/+/+/+/+/+/#")).isEqualTo(Verdict.OK);
    }

    @Test
    void reserved_filters() {
      assertThat(AWS.checkFilter("$SYS/#")).isEqualTo(Verdict.RESERVED);
      assertThat(AWS.checkFilter("$aws/things/+/shadow/update/accepted")).isEqualTo(Verdict.OK);
      assertThat(MQTT.checkFilter("$SYS/#")).isEqualTo(Verdict.OK);
    }

    @Test
    void shared_subscription_is_parsed_into_group_and_filter() {
      TopicFilter f = MQTT.parseFilter("$share/group1/sport/+/score");
      assertThat(f).isNotNull();
      assertThat(f.raw()).isEqualTo("$share/group1/sport/+/score");
      assertThat(f.filter()).isEqualTo("sport/+/score");
      assertThat(f.shareGroup()).isEqualTo("group1");
      assertThat(f.isShared()).isTrue();
      assertThat(f.hasWildcards()).isTrue();

      TopicFilter all = MQTT.parseFilter("$share/g/#");
      assertThat(all.filter()).isEqualTo("#");
      assertThat(all.shareGroup()).isEqualTo("g");

      TopicFilter plain = MQTT.parseFilter("sport/tennis");
      assertThat(plain.isShared()).isFalse();
      assertThat(plain.hasWildcards()).isFalse();
    }

    @Test
    void shared_subscriptions_are_available_on_the_aws_profile() {
      assertThat(AWS.checkFilter("$share/g/dt/fleet/+/telemetry")).isEqualTo(Verdict.OK);
      assertThat(AWS.checkFilter("$share/g/$SYS/x")).isEqualTo(Verdict.RESERVED);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "$share/",
          "$share//a",
          "$share/g",
          "$share/g/",
          "$share/+/a",
          "$share/#/a",
          "$share/g+/a",
          "$share/a#b/c",
          "$share/g/a+",
          "$share/g/#/a"
        })
    void invalid_share_names_and_filters_are_malformed(String filter) {
      assertThat(MQTT.checkFilter(filter)).as(filter).isEqualTo(Verdict.MALFORMED);
      assertThat(MQTT.parseFilter(filter)).isNull();
    }

    @Test
    void share_prefix_is_not_counted_towards_limits() {
      String group = repeat("g", 200);
      assertThat(AWS.checkFilter("$share/" + group + "/" + repeat("a", 256))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkFilter("$share/" + group + "/" + repeat("a", 257)))
          .isEqualTo(Verdict.TOO_LONG);
      assertThat(AWS.checkFilter("$share/g/" + levels(8))).isEqualTo(Verdict.OK);
      assertThat(AWS.checkFilter("$share/g/" + levels(9))).isEqualTo(Verdict.TOO_MANY_LEVELS);
    }

    @Test
    void dollar_share_without_slash_is_an_ordinary_dollar_filter() {
      assertThat(MQTT.parseFilter("$share")).isEqualTo(new TopicFilter("$share", "$share", null));
      assertThat(AWS.checkFilter("$share")).isEqualTo(Verdict.RESERVED);
    }
  }

  @Test
  void utf8_length_matches_the_encoder() {
    for (String s :
        new String[] {
          "", "a", "\u007F", "\u0080", "é", "\u07FF", "\u0800", "€", "\uFFFF", "😀", "a/é/€/😀"
        }) {
      int expected = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      assertThat(TopicRules.utf8Length(s)).as(s).isEqualTo(expected);
    }
  }

  @Nested
  class Matches {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "sport/tennis/player1 | sport/tennis/player1 | true",
          "sport/tennis/player1 | sport/tennis/player2 | false",
          "sport/tennis/player1 | sport/tennis         | false",
          "sport/tennis         | sport/tennis/player1 | false",
          "sport/#              | sport                | true",
          "sport/#              | sport/               | true",
          "sport/#              | sport/tennis/p1      | true",
          "sport/#              | sports               | false",
          "sport/tennis/#       | sport                | false",
          "#                    | sport/tennis         | true",
          "#                    | /                    | true",
          "+                    | sport                | true",
          "+                    | sport/               | false",
          "+                    | /                    | false",
          "+/+                  | /                    | true",
          "/+                   | /finance             | true",
          "+/tennis/#           | sport/tennis/p1      | true",
          "+/tennis/#           | sport/tennis         | true",
          "+/#                  | sport                | true",
          "sport/+              | sport                | false",
          "sport/+              | sport/               | true",
          "sport/+/player1      | sport//player1       | true",
          "a/+/+/d              | a///d                | true",
          "a//b                 | a//b                 | true",
          "a//b                 | a/b                  | false",
          "a/+/#                | a/b                  | true",
          "a/+/#                | a                    | false",
          "$SYS/#               | $SYS/x               | true",
          "$SYS/#               | $SYS                 | true",
          "#                    | $SYS/x               | false",
          "+/x                  | $SYS/x               | false",
          "+                    | $SYS                 | false",
          "+/#                  | $SYS/x               | false",
          "$SYS/+               | $SYS/x               | true",
          "a/$x                 | a/$x                 | true",
          "+/$x                 | a/$x                 | true",
          "#                    | a/$x                 | true",
        })
    void table(String filter, String topic, boolean expected) {
      assertThat(TopicRules.matches(filter, topic)).isEqualTo(expected);
    }
  }
}
