package io.pylon.store.tagging;

import io.pylon.domain.tagging.Tag;
import io.pylon.domain.tagging.TagStore;
import io.pylon.store.Database;
import io.pylon.store.PortableSql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Tags by resource ARN in {@code resource_tag}. */
public final class JdbcTagStore implements TagStore {

  private final Database database;
  private final String upsert;

  public JdbcTagStore(Database database) {
    this.database = database;
    this.upsert =
        database
            .dialect()
            .upsert(
                "resource_tag",
                List.of("resource_arn", "tag_key"),
                List.of("resource_arn", "tag_key", "tag_value"));
  }

  @Override
  public List<Tag> tagsOf(String resourceArn) {
    return database.read(
        "reading the tags of " + resourceArn,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT tag_key, tag_value FROM resource_tag WHERE resource_arn = ? ORDER BY "
                      + PortableSql.ordered(database.dialect(), "tag_key"))) {
            select.setString(1, resourceArn);
            List<Tag> tags = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                tags.add(new Tag(rows.getString(1), rows.getString(2)));
              }
            }
            return tags;
          }
        });
  }

  @Override
  public void put(String resourceArn, Collection<Tag> tags) {
    if (tags.isEmpty()) {
      return;
    }
    database.write(
        "tagging " + resourceArn,
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(upsert)) {
            for (Tag tag : tags) {
              statement.setString(1, resourceArn);
              statement.setString(2, tag.key());
              statement.setString(3, tag.value());
              statement.addBatch();
            }
            statement.executeBatch();
          }
        });
  }

  @Override
  public void remove(String resourceArn, Collection<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    database.write(
        "untagging " + resourceArn,
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM resource_tag WHERE resource_arn = ? AND tag_key = ?")) {
            for (String key : keys) {
              delete.setString(1, resourceArn);
              delete.setString(2, key);
              delete.addBatch();
            }
            delete.executeBatch();
          }
        });
  }

  @Override
  public void removeAll(String resourceArn) {
    database.write(
        "removing the tags of " + resourceArn,
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM resource_tag WHERE resource_arn = ?")) {
            delete.setString(1, resourceArn);
            delete.executeUpdate();
          }
        });
  }
}
