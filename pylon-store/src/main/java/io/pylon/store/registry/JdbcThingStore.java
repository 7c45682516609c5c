package io.pylon.store.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryPageToken;
import io.pylon.domain.registry.Thing;
import io.pylon.domain.registry.ThingFilter;
import io.pylon.domain.registry.ThingStore;
import io.pylon.store.Database;
import io.pylon.store.PortableSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Things in tables {@code thing} and {@code thing_attribute}. Conditional writes are single
 * statements ({@code UPDATE ... WHERE version = ?}), so concurrent updates of one thing serialise
 * on its row and exactly one wins.
 */
public final class JdbcThingStore implements ThingStore {

  private static final String KIND = "things";

  private final Database database;
  private final String orderedName;
  private final Attributes attributes = new Attributes("thing_attribute", "thing_name");

  public JdbcThingStore(Database database) {
    this.database = database;
    this.orderedName = PortableSql.ordered(database.dialect(), "t.name");
  }

  @Override
  public Optional<Thing> find(String name) {
    return database.read(
        "reading thing '" + name + "'",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT t.name, t.id, t.thing_type_name, t.version FROM thing t WHERE t.name = ?")) {
            select.setString(1, name);
            List<Thing> found = things(connection, select);
            return found.stream().findFirst();
          }
        });
  }

  @Override
  public boolean insert(Thing thing) {
    return PortableSql.write(
        database,
        "creating thing '" + thing.name() + "'",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO thing (name, id, thing_type_name, version) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, thing.name());
            insert.setString(2, thing.id());
            insert.setString(3, thing.thingTypeName().orElse(null));
            insert.setLong(4, thing.version());
            if (insert.executeUpdate() == 0) {
              return false;
            }
          }
          attributes.insert(connection, thing.name(), thing.attributes());
          return true;
        });
  }

  @Override
  public boolean replace(Thing thing, long storedVersion) {
    return PortableSql.write(
        database,
        "updating thing '" + thing.name() + "'",
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE thing SET thing_type_name = ?, version = ? WHERE name = ? AND version = ?")) {
            update.setString(1, thing.thingTypeName().orElse(null));
            update.setLong(2, thing.version());
            update.setString(3, thing.name());
            update.setLong(4, storedVersion);
            if (update.executeUpdate() == 0) {
              return false;
            }
          }
          attributes.replace(connection, thing.name(), thing.attributes());
          return true;
        });
  }

  @Override
  public boolean delete(String name, long storedVersion) {
    return PortableSql.write(
        database,
        "deleting thing '" + name + "'",
        connection -> {
          // Attributes, group memberships and principal attachments go with it (ON DELETE
          // CASCADE).
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM thing WHERE name = ? AND version = ?")) {
            delete.setString(1, name);
            delete.setLong(2, storedVersion);
            return delete.executeUpdate() > 0;
          }
        });
  }

  @Override
  public Page<Thing> list(ThingFilter filter, PageRequest page) {
    Optional<String> after = RegistryPageToken.after(KIND, page);
    StringBuilder sql =
        new StringBuilder(
            "SELECT t.name, t.id, t.thing_type_name, t.version FROM thing t WHERE 1=1");
    List<String> parameters = new ArrayList<>();
    after.ifPresent(
        a -> {
          sql.append(" AND ").append(orderedName).append(" > ?");
          parameters.add(a);
        });
    filter
        .thingTypeName()
        .ifPresent(
            type -> {
              sql.append(" AND t.thing_type_name = ?");
              parameters.add(type);
            });
    if (filter.attributeName().isPresent()) {
      sql.append(
          " AND EXISTS (SELECT 1 FROM thing_attribute a WHERE a.thing_name = t.name"
              + " AND a.attr_name = ?");
      parameters.add(filter.attributeName().get());
      if (filter.attributeValue().isPresent()) {
        if (filter.valueIsPrefix()) {
          sql.append(" AND a.attr_value LIKE ? ESCAPE '\\'");
          parameters.add(PortableSql.startsWith(filter.attributeValue().get()));
        } else {
          sql.append(" AND a.attr_value = ?");
          parameters.add(filter.attributeValue().get());
        }
      }
      sql.append(')');
    }
    sql.append(" ORDER BY ").append(orderedName).append(" LIMIT ").append(page.maxResults() + 1);
    List<Thing> fetched =
        database.read(
            "listing things",
            connection -> {
              try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                  select.setString(i + 1, parameters.get(i));
                }
                return things(connection, select);
              }
            });
    return RegistryPageToken.fromOverfetch(KIND, fetched, page, Thing::name);
  }

  @Override
  public boolean anyOfType(String thingTypeName) {
    return database.read(
        "looking for things of type '" + thingTypeName + "'",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT 1 FROM thing WHERE thing_type_name = ? LIMIT 1")) {
            select.setString(1, thingTypeName);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next();
            }
          }
        });
  }

  /** Runs a select of (name, id, thing_type_name, version) and adds each thing's attributes. */
  private List<Thing> things(Connection connection, PreparedStatement select) throws SQLException {
    record Row(String name, String id, String type, long version) {}
    List<Row> rows = new ArrayList<>();
    try (ResultSet result = select.executeQuery()) {
      while (result.next()) {
        rows.add(
            new Row(
                result.getString(1), result.getString(2), result.getString(3), result.getLong(4)));
      }
    }
    Map<String, Map<String, String>> byThing =
        attributes.ofAll(connection, rows.stream().map(Row::name).toList());
    return rows.stream()
        .map(
            r ->
                new Thing(
                    r.name(),
                    r.id(),
                    Optional.ofNullable(r.type()),
                    byThing.getOrDefault(r.name(), Map.of()),
                    r.version()))
        .toList();
  }
}
