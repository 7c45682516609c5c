package io.pylon.store.rules;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryPageToken;
import io.pylon.domain.rules.TopicRuleDestination;
import io.pylon.domain.rules.TopicRuleDestinationStatus;
import io.pylon.domain.rules.TopicRuleDestinationStore;
import io.pylon.store.Database;
import io.pylon.store.PortableSql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Topic rule destinations in table {@code topic_rule_destination}. Creates insert with {@code ON
 * CONFLICT DO NOTHING} (ARN, confirmation URL and token are each unique); updates are conditional
 * on the status and token that were read, so of two concurrent changes exactly one wins.
 */
public final class JdbcTopicRuleDestinationStore implements TopicRuleDestinationStore {

  private static final String KIND = "ruledestination";
  private static final String COLUMNS =
      "arn, status, status_reason, created_ms, updated_ms, confirmation_url, confirmation_token,"
          + " token_issued_ms";

  private final Database database;

  public JdbcTopicRuleDestinationStore(Database database) {
    this.database = database;
  }

  @Override
  public boolean create(TopicRuleDestination d) {
    return PortableSql.write(
        database,
        "creating topic rule destination " + d.arn(),
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO topic_rule_destination ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, d.arn());
            insert.setString(2, d.status().name());
            insert.setString(3, d.statusReason());
            insert.setLong(4, d.createdAt().toEpochMilli());
            insert.setLong(5, d.lastUpdatedAt().toEpochMilli());
            insert.setString(6, d.confirmationUrl());
            setToken(insert, 7, d);
            return insert.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<TopicRuleDestination> find(String arn) {
    return one("arn", arn);
  }

  @Override
  public Optional<TopicRuleDestination> findByConfirmationUrl(String confirmationUrl) {
    return one("confirmation_url", confirmationUrl);
  }

  @Override
  public Optional<TopicRuleDestination> findByToken(String confirmationToken) {
    return one("confirmation_token", confirmationToken);
  }

  @Override
  public boolean update(TopicRuleDestination expected, TopicRuleDestination next) {
    return PortableSql.write(
        database,
        "updating topic rule destination " + expected.arn(),
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE topic_rule_destination SET status = ?, status_reason = ?,"
                      + " updated_ms = ?, confirmation_token = ?, token_issued_ms = ?"
                      + " WHERE arn = ? AND status = ?"
                      + " AND confirmation_token IS NOT DISTINCT FROM ?")) {
            update.setString(1, next.status().name());
            update.setString(2, next.statusReason());
            update.setLong(3, next.lastUpdatedAt().toEpochMilli());
            setToken(update, 4, next);
            update.setString(6, expected.arn());
            update.setString(7, expected.status().name());
            update.setString(8, expected.confirmationToken().orElse(null));
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean delete(String arn) {
    return PortableSql.write(
        database,
        "deleting topic rule destination " + arn,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM topic_rule_destination WHERE arn = ?")) {
            delete.setString(1, arn);
            return delete.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Page<TopicRuleDestination> list(PageRequest page) {
    Optional<String> after = RegistryPageToken.after(KIND, page);
    String arn = PortableSql.ordered(database.dialect(), "arn");
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM topic_rule_destination"
            + (after.isPresent() ? " WHERE " + arn + " > ?" : "")
            + " ORDER BY "
            + arn
            + " LIMIT ?";
    List<TopicRuleDestination> fetched =
        database.read(
            "listing topic rule destinations",
            c -> {
              try (PreparedStatement select = c.prepareStatement(sql)) {
                int i = 1;
                if (after.isPresent()) {
                  select.setString(i++, after.get());
                }
                select.setInt(i, page.maxResults() + 1);
                return destinations(select);
              }
            });
    return RegistryPageToken.fromOverfetch(KIND, fetched, page, TopicRuleDestination::arn);
  }

  @Override
  public List<TopicRuleDestination> all() {
    String arn = PortableSql.ordered(database.dialect(), "arn");
    return database.read(
        "loading topic rule destinations",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM topic_rule_destination ORDER BY " + arn)) {
            return destinations(select);
          }
        });
  }

  private Optional<TopicRuleDestination> one(String column, String value) {
    return database.read(
        "reading topic rule destination by " + column,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM topic_rule_destination WHERE " + column + " = ?")) {
            select.setString(1, value);
            List<TopicRuleDestination> found = destinations(select);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
          }
        });
  }

  private static void setToken(PreparedStatement statement, int index, TopicRuleDestination d)
      throws SQLException {
    if (d.confirmationToken().isPresent()) {
      statement.setString(index, d.confirmationToken().get());
    } else {
      statement.setNull(index, Types.VARCHAR);
    }
    if (d.tokenIssuedAt().isPresent()) {
      statement.setLong(index + 1, d.tokenIssuedAt().get().toEpochMilli());
    } else {
      statement.setNull(index + 1, Types.BIGINT);
    }
  }

  private static List<TopicRuleDestination> destinations(PreparedStatement select)
      throws SQLException {
    List<TopicRuleDestination> found = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        long issued = row.getLong(8);
        boolean hasIssued = !row.wasNull();
        found.add(
            new TopicRuleDestination(
                row.getString(1),
                TopicRuleDestinationStatus.valueOf(row.getString(2)),
                row.getString(3),
                Instant.ofEpochMilli(row.getLong(4)),
                Instant.ofEpochMilli(row.getLong(5)),
                row.getString(6),
                Optional.ofNullable(row.getString(7)),
                hasIssued ? Optional.of(Instant.ofEpochMilli(issued)) : Optional.empty()));
      }
    }
    return found;
  }
}
