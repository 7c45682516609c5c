package io.pylon.domain.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.SqlParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fixtures of the rules tests: JSON from single-quoted text, a fake SQL check, a movable clock. */
final class TestRules {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ROLE = "arn:aws:iam::123456789012:role/iot";

  /**
   * Stands in for the SQL compiler: a statement must start with SELECT, and its FROM filter is the
   * single-quoted text after FROM.
   */
  static final TopicRuleCheck FAKE_SQL =
      new TopicRuleCheck() {
        private final Pattern from = Pattern.compile("(?is)\\bFROM\\s+'([^']*)'");

        @Override
        public Optional<String> check(String ruleName, TopicRulePayload payload, String version) {
          String sql = payload.sql();
          if (!sql.trim().regionMatches(true, 0, "SELECT", 0, 6)) {
            throw new SqlParseException("Expected SELECT at 1:1");
          }
          Matcher m = from.matcher(sql);
          return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
      };

  private TestRules() {}

  /** An object from JSON written with single quotes. */
  static ObjectNode json(String singleQuoted) {
    try {
      return (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }

  static ObjectNode republish(String topic) {
    return json("{'republish':{'roleArn':'" + ROLE + "','topic':'" + topic + "'}}");
  }

  static TopicRulePayload payload(String sql, ObjectNode... actions) {
    return new TopicRulePayload(
        sql, Optional.empty(), List.of(actions), false, Optional.empty(), Optional.empty());
  }

  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
