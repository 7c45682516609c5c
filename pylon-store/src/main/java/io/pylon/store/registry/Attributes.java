package io.pylon.store.registry;

import io.pylon.store.PortableSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The attribute rows of things ({@code thing_attribute}) and of groups ({@code
 * thing_group_attribute}), which have the same shape: owner, name, value.
 */
final class Attributes {

  private final String table;
  private final String ownerColumn;

  Attributes(String table, String ownerColumn) {
    this.table = table;
    this.ownerColumn = ownerColumn;
  }

  Map<String, String> of(Connection connection, String owner) throws SQLException {
    return ofAll(connection, List.of(owner)).getOrDefault(owner, Map.of());
  }

  /** Attributes of several owners at once, for a page of results. */
  Map<String, Map<String, String>> ofAll(Connection connection, Collection<String> owners)
      throws SQLException {
    Map<String, Map<String, String>> result = new HashMap<>();
    if (owners.isEmpty()) {
      return result;
    }
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + ownerColumn
                + ", attr_name, attr_value FROM "
                + table
                + " WHERE "
                + ownerColumn
                + " IN ("
                + PortableSql.placeholders(owners.size())
                + ")")) {
      int i = 1;
      for (String owner : owners) {
        select.setString(i++, owner);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          result
              .computeIfAbsent(rows.getString(1), o -> new TreeMap<>())
              .put(rows.getString(2), rows.getString(3));
        }
      }
    }
    return result;
  }

  void replace(Connection connection, String owner, Map<String, String> attributes)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM " + table + " WHERE " + ownerColumn + " = ?")) {
      delete.setString(1, owner);
      delete.executeUpdate();
    }
    insert(connection, owner, attributes);
  }

  void insert(Connection connection, String owner, Map<String, String> attributes)
      throws SQLException {
    if (attributes.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + table
                + " ("
                + ownerColumn
                + ", attr_name, attr_value) VALUES (?, ?, ?)")) {
      for (Map.Entry<String, String> attribute : attributes.entrySet()) {
        insert.setString(1, owner);
        insert.setString(2, attribute.getKey());
        insert.setString(3, attribute.getValue());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}
