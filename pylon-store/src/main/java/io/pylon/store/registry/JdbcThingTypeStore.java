package io.pylon.store.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryPageToken;
import io.pylon.domain.registry.ThingType;
import io.pylon.domain.registry.ThingTypeProperties;
import io.pylon.domain.registry.ThingTypeProperties.PropagatingAttribute;
import io.pylon.domain.registry.ThingTypeStore;
import io.pylon.store.Database;
import io.pylon.store.PortableSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Thing types in {@code thing_type}, with their searchable and propagating attributes in two child
 * tables, in the order the type lists them.
 */
public final class JdbcThingTypeStore implements ThingTypeStore {

  private static final String KIND = "thing-types";
  private static final String COLUMNS =
      "name, id, description, deprecated, deprecation_date_ms, creation_date_ms";

  private final Database database;
  private final String orderedName;

  public JdbcThingTypeStore(Database database) {
    this.database = database;
    this.orderedName = PortableSql.ordered(database.dialect(), "name");
  }

  @Override
  public Optional<ThingType> find(String name) {
    return database.read(
        "reading thing type '" + name + "'",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT " + COLUMNS + " FROM thing_type WHERE name = ?")) {
            select.setString(1, name);
            return types(connection, select).stream().findFirst();
          }
        });
  }

  @Override
  public boolean insert(ThingType thingType) {
    return PortableSql.write(
        database,
        "creating thing type '" + thingType.name() + "'",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO thing_type ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, thingType.name());
            insert.setString(2, thingType.id());
            setColumns(insert, 3, thingType);
            insert.setLong(6, thingType.creationDate().toEpochMilli());
            if (insert.executeUpdate() == 0) {
              return false;
            }
          }
          insertChildren(connection, thingType);
          return true;
        });
  }

  @Override
  public boolean replace(ThingType thingType) {
    return PortableSql.write(
        database,
        "updating thing type '" + thingType.name() + "'",
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE thing_type SET description = ?, deprecated = ?, deprecation_date_ms = ?"
                      + " WHERE name = ?")) {
            setColumns(update, 1, thingType);
            update.setString(4, thingType.name());
            if (update.executeUpdate() == 0) {
              return false;
            }
          }
          for (String table :
              List.of("thing_type_searchable_attribute", "thing_type_propagating_attribute")) {
            try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM " + table + " WHERE type_name = ?")) {
              delete.setString(1, thingType.name());
              delete.executeUpdate();
            }
          }
          insertChildren(connection, thingType);
          return true;
        });
  }

  @Override
  public boolean delete(String name) {
    return PortableSql.write(
        database,
        "deleting thing type '" + name + "'",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM thing_type WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() > 0;
          }
        });
  }

  @Override
  public Page<ThingType> list(Optional<String> namePrefix, PageRequest page) {
    Optional<String> after = RegistryPageToken.after(KIND, page);
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM thing_type WHERE 1=1");
    List<String> parameters = new ArrayList<>();
    after.ifPresent(
        a -> {
          sql.append(" AND ").append(orderedName).append(" > ?");
          parameters.add(a);
        });
    namePrefix.ifPresent(
        p -> {
          sql.append(" AND name LIKE ? ESCAPE '\\'");
          parameters.add(PortableSql.startsWith(p));
        });
    sql.append(" ORDER BY ").append(orderedName).append(" LIMIT ").append(page.maxResults() + 1);
    List<ThingType> fetched =
        database.read(
            "listing thing types",
            connection -> {
              try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                  select.setString(i + 1, parameters.get(i));
                }
                return types(connection, select);
              }
            });
    return RegistryPageToken.fromOverfetch(KIND, fetched, page, ThingType::name);
  }

  /** Sets description, deprecated and deprecation date from parameter {@code first} on. */
  private static void setColumns(PreparedStatement statement, int first, ThingType type)
      throws SQLException {
    statement.setString(first, type.properties().description().orElse(null));
    statement.setBoolean(first + 1, type.deprecated());
    if (type.deprecationDate().isPresent()) {
      statement.setLong(first + 2, type.deprecationDate().get().toEpochMilli());
    } else {
      statement.setNull(first + 2, Types.BIGINT);
    }
  }

  private static void insertChildren(Connection connection, ThingType type) throws SQLException {
    List<String> searchable = type.properties().searchableAttributes();
    if (!searchable.isEmpty()) {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO thing_type_searchable_attribute (type_name, seq, attr_name)"
                  + " VALUES (?, ?, ?)")) {
        for (int i = 0; i < searchable.size(); i++) {
          insert.setString(1, type.name());
          insert.setInt(2, i);
          insert.setString(3, searchable.get(i));
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
    List<PropagatingAttribute> propagating = type.properties().propagatingAttributes();
    if (!propagating.isEmpty()) {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO thing_type_propagating_attribute (type_name, seq, user_property_key,"
                  + " thing_attribute, connection_attribute) VALUES (?, ?, ?, ?, ?)")) {
        for (int i = 0; i < propagating.size(); i++) {
          PropagatingAttribute attribute = propagating.get(i);
          insert.setString(1, type.name());
          insert.setInt(2, i);
          insert.setString(3, attribute.userPropertyKey().orElse(null));
          insert.setString(4, attribute.thingAttribute().orElse(null));
          insert.setString(5, attribute.connectionAttribute().orElse(null));
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
  }

  /** Runs a select of {@link #COLUMNS} and adds each type's child rows. */
  private static List<ThingType> types(Connection connection, PreparedStatement select)
      throws SQLException {
    record Row(
        String name,
        String id,
        String description,
        boolean deprecated,
        Long deprecationDate,
        long creationDate) {}
    List<Row> rows = new ArrayList<>();
    try (ResultSet result = select.executeQuery()) {
      while (result.next()) {
        long deprecation = result.getLong(5);
        boolean notDeprecated = result.wasNull();
        rows.add(
            new Row(
                result.getString(1),
                result.getString(2),
                result.getString(3),
                result.getBoolean(4),
                notDeprecated ? null : deprecation,
                result.getLong(6)));
      }
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> names = rows.stream().map(Row::name).toList();
    Map<String, List<String>> searchable = new HashMap<>();
    try (PreparedStatement children =
        connection.prepareStatement(
            "SELECT type_name, attr_name FROM thing_type_searchable_attribute WHERE type_name IN ("
                + PortableSql.placeholders(names.size())
                + ") ORDER BY type_name, seq")) {
      setAll(children, names);
      try (ResultSet result = children.executeQuery()) {
        while (result.next()) {
          searchable
              .computeIfAbsent(result.getString(1), n -> new ArrayList<>())
              .add(result.getString(2));
        }
      }
    }
    Map<String, List<PropagatingAttribute>> propagating = new HashMap<>();
    try (PreparedStatement children =
        connection.prepareStatement(
            "SELECT type_name, user_property_key, thing_attribute, connection_attribute"
                + " FROM thing_type_propagating_attribute WHERE type_name IN ("
                + PortableSql.placeholders(names.size())
                + ") ORDER BY type_name, seq")) {
      setAll(children, names);
      try (ResultSet result = children.executeQuery()) {
        while (result.next()) {
          propagating
              .computeIfAbsent(result.getString(1), n -> new ArrayList<>())
              .add(
                  new PropagatingAttribute(
                      Optional.ofNullable(result.getString(2)),
                      Optional.ofNullable(result.getString(3)),
                      Optional.ofNullable(result.getString(4))));
        }
      }
    }
    return rows.stream()
        .map(
            r ->
                new ThingType(
                    r.name(),
                    r.id(),
                    new ThingTypeProperties(
                        Optional.ofNullable(r.description()),
                        searchable.getOrDefault(r.name(), List.of()),
                        propagating.getOrDefault(r.name(), List.of())),
                    r.deprecated(),
                    Optional.ofNullable(r.deprecationDate()).map(Instant::ofEpochMilli),
                    Instant.ofEpochMilli(r.creationDate())))
        .toList();
  }

  private static void setAll(PreparedStatement statement, List<String> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      statement.setString(i + 1, values.get(i));
    }
  }
}
