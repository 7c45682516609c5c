package io.pylon.store.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryPageToken;
import io.pylon.domain.rules.TopicRule;
import io.pylon.domain.rules.TopicRuleStore;
import io.pylon.store.Database;
import io.pylon.store.PortableSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Topic rules in table {@code topic_rule}, actions as JSON text. A create inserts with {@code ON
 * CONFLICT DO NOTHING}, so of two concurrent creates of one name exactly one wins on H2 and
 * PostgreSQL alike; enabling and disabling update the one column, so they never undo a concurrent
 * replace.
 */
public final class JdbcTopicRuleStore implements TopicRuleStore {

  private static final String KIND = "topicrule";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "rule_name, rule_arn, sql_text, description, topic_pattern, created_ms, actions,"
          + " error_action, rule_disabled, sql_version";

  private final Database database;

  public JdbcTopicRuleStore(Database database) {
    this.database = database;
  }

  @Override
  public boolean create(TopicRule rule) {
    return PortableSql.write(
        database,
        "creating topic rule " + rule.ruleName(),
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO topic_rule ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, rule.ruleName());
            insert.setString(2, rule.ruleArn());
            insert.setString(3, rule.sql());
            setOptional(insert, 4, rule.description());
            setOptional(insert, 5, rule.topicPattern());
            insert.setLong(6, rule.createdAt().toEpochMilli());
            insert.setString(7, actionsJson(rule.actions()));
            setOptional(insert, 8, rule.errorAction().map(JsonNode::toString));
            insert.setBoolean(9, rule.ruleDisabled());
            insert.setString(10, rule.awsIotSqlVersion());
            return insert.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<TopicRule> find(String ruleName) {
    return database.read("reading topic rule " + ruleName, c -> find(c, ruleName));
  }

  @Override
  public boolean replace(TopicRule rule) {
    return PortableSql.write(
        database,
        "replacing topic rule " + rule.ruleName(),
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE topic_rule SET rule_arn = ?, sql_text = ?, description = ?,"
                      + " topic_pattern = ?, created_ms = ?, actions = ?, error_action = ?,"
                      + " rule_disabled = ?, sql_version = ? WHERE rule_name = ?")) {
            update.setString(1, rule.ruleArn());
            update.setString(2, rule.sql());
            setOptional(update, 3, rule.description());
            setOptional(update, 4, rule.topicPattern());
            update.setLong(5, rule.createdAt().toEpochMilli());
            update.setString(6, actionsJson(rule.actions()));
            setOptional(update, 7, rule.errorAction().map(JsonNode::toString));
            update.setBoolean(8, rule.ruleDisabled());
            update.setString(9, rule.awsIotSqlVersion());
            update.setString(10, rule.ruleName());
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<TopicRule> setDisabled(String ruleName, boolean disabled) {
    return PortableSql.write(
        database,
        (disabled ? "disabling" : "enabling") + " topic rule " + ruleName,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE topic_rule SET rule_disabled = ? WHERE rule_name = ?")) {
            update.setBoolean(1, disabled);
            update.setString(2, ruleName);
            if (update.executeUpdate() != 1) {
              return Optional.empty();
            }
          }
          return find(c, ruleName);
        });
  }

  @Override
  public boolean delete(String ruleName) {
    return PortableSql.write(
        database,
        "deleting topic rule " + ruleName,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM topic_rule WHERE rule_name = ?")) {
            delete.setString(1, ruleName);
            return delete.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Page<TopicRule> list(
      PageRequest page, Optional<String> topicPattern, Optional<Boolean> disabled) {
    Optional<String> after = RegistryPageToken.after(KIND, page);
    String name = PortableSql.ordered(database.dialect(), "rule_name");
    List<String> where = new ArrayList<>();
    after.ifPresent(a -> where.add(name + " > ?"));
    topicPattern.ifPresent(t -> where.add("topic_pattern = ?"));
    disabled.ifPresent(d -> where.add("rule_disabled = ?"));
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM topic_rule"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY "
            + name
            + " LIMIT ?";
    List<TopicRule> fetched =
        database.read(
            "listing topic rules",
            c -> {
              try (PreparedStatement select = c.prepareStatement(sql)) {
                int i = 1;
                if (after.isPresent()) {
                  select.setString(i++, after.get());
                }
                if (topicPattern.isPresent()) {
                  select.setString(i++, topicPattern.get());
                }
                if (disabled.isPresent()) {
                  select.setBoolean(i++, disabled.get());
                }
                select.setInt(i, page.maxResults() + 1);
                return rules(select);
              }
            });
    return RegistryPageToken.fromOverfetch(KIND, fetched, page, TopicRule::ruleName);
  }

  @Override
  public List<TopicRule> all() {
    String name = PortableSql.ordered(database.dialect(), "rule_name");
    return database.read(
        "loading topic rules",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT " + COLUMNS + " FROM topic_rule ORDER BY " + name)) {
            return rules(select);
          }
        });
  }

  private static Optional<TopicRule> find(Connection c, String ruleName) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + COLUMNS + " FROM topic_rule WHERE rule_name = ?")) {
      select.setString(1, ruleName);
      List<TopicRule> rules = rules(select);
      return rules.isEmpty() ? Optional.empty() : Optional.of(rules.get(0));
    }
  }

  private static List<TopicRule> rules(PreparedStatement select) throws SQLException {
    List<TopicRule> rules = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        rules.add(
            new TopicRule(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                Optional.ofNullable(row.getString(4)),
                Optional.ofNullable(row.getString(5)),
                Instant.ofEpochMilli(row.getLong(6)),
                actions(row.getString(7)),
                Optional.ofNullable(row.getString(8)).map(JdbcTopicRuleStore::object),
                row.getBoolean(9),
                row.getString(10)));
      }
    }
    return rules;
  }

  private static void setOptional(PreparedStatement statement, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setString(index, value.get());
    } else {
      statement.setNull(index, Types.VARCHAR);
    }
  }

  private static String actionsJson(List<ObjectNode> actions) {
    ArrayNode array = JSON.createArrayNode();
    actions.forEach(array::add);
    return array.toString();
  }

  private static List<ObjectNode> actions(String json) {
    JsonNode array = parse(json);
    List<ObjectNode> actions = new ArrayList<>(array.size());
    array.forEach(a -> actions.add((ObjectNode) a));
    return actions;
  }

  private static ObjectNode object(String json) {
    return (ObjectNode) parse(json);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // Only this class writes these columns; unreadable JSON means the row was edited by hand.
      throw new IllegalStateException("topic_rule holds JSON that does not parse: " + json, e);
    }
  }
}
