package io.pylon.store.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryPageToken;
import io.pylon.domain.registry.ThingGroup;
import io.pylon.domain.registry.ThingGroupFilter;
import io.pylon.domain.registry.ThingGroupStore;
import io.pylon.store.Database;
import io.pylon.store.PortableSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Thing groups in {@code thing_group} (with {@code thing_group_attribute}) and their members in
 * {@code thing_group_member}. Each group row keeps its path from the root ({@code /root/child/});
 * descendants of {@code g} are the rows whose path contains {@code /g/}.
 */
public final class JdbcThingGroupStore implements ThingGroupStore {

  private static final String KIND = "thing-groups";
  private static final String MEMBERS_KIND = "group-things";
  private static final String COLUMNS =
      "g.name, g.id, g.path, g.description, g.version, g.creation_date_ms";

  private final Database database;
  private final String orderedName;
  private final String orderedThing;
  private final Attributes attributes = new Attributes("thing_group_attribute", "group_name");

  public JdbcThingGroupStore(Database database) {
    this.database = database;
    this.orderedName = PortableSql.ordered(database.dialect(), "g.name");
    this.orderedThing = PortableSql.ordered(database.dialect(), "m.thing_name");
  }

  @Override
  public Optional<ThingGroup> find(String name) {
    return database.read(
        "reading thing group '" + name + "'",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT " + COLUMNS + " FROM thing_group g WHERE g.name = ?")) {
            select.setString(1, name);
            return groups(connection, select).stream().findFirst();
          }
        });
  }

  @Override
  public boolean insert(ThingGroup group) {
    return PortableSql.write(
        database,
        "creating thing group '" + group.name() + "'",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO thing_group (name, id, parent_name, path, description, version,"
                      + " creation_date_ms) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, group.name());
            insert.setString(2, group.id());
            insert.setString(3, group.parentName().orElse(null));
            insert.setString(4, path(group));
            insert.setString(5, group.description().orElse(null));
            insert.setLong(6, group.version());
            insert.setLong(7, group.creationDate().toEpochMilli());
            if (insert.executeUpdate() == 0) {
              return false;
            }
          }
          attributes.insert(connection, group.name(), group.attributes());
          return true;
        });
  }

  @Override
  public boolean replace(ThingGroup group, long storedVersion) {
    return PortableSql.write(
        database,
        "updating thing group '" + group.name() + "'",
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE thing_group SET description = ?, version = ?"
                      + " WHERE name = ? AND version = ?")) {
            update.setString(1, group.description().orElse(null));
            update.setLong(2, group.version());
            update.setString(3, group.name());
            update.setLong(4, storedVersion);
            if (update.executeUpdate() == 0) {
              return false;
            }
          }
          attributes.replace(connection, group.name(), group.attributes());
          return true;
        });
  }

  @Override
  public boolean delete(String name, long storedVersion) {
    return PortableSql.write(
        database,
        "deleting thing group '" + name + "'",
        connection -> {
          // Attributes and memberships go with it (ON DELETE CASCADE); a child group makes this
          // fail on the parent key, which the service has ruled out before.
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM thing_group WHERE name = ? AND version = ?")) {
            delete.setString(1, name);
            delete.setLong(2, storedVersion);
            return delete.executeUpdate() > 0;
          }
        });
  }

  @Override
  public int childCount(String name) {
    return database.read(
        "counting the child groups of '" + name + "'",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT COUNT(*) FROM thing_group WHERE parent_name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
              rows.next();
              return rows.getInt(1);
            }
          }
        });
  }

  @Override
  public Page<ThingGroup> list(ThingGroupFilter filter, PageRequest page) {
    Optional<String> after = RegistryPageToken.after(KIND, page);
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM thing_group g WHERE 1=1");
    List<String> parameters = new ArrayList<>();
    after.ifPresent(
        a -> {
          sql.append(" AND ").append(orderedName).append(" > ?");
          parameters.add(a);
        });
    filter
        .namePrefix()
        .ifPresent(
            p -> {
              sql.append(" AND g.name LIKE ? ESCAPE '\\'");
              parameters.add(PortableSql.startsWith(p));
            });
    if (filter.parentGroup().isEmpty()) {
      if (!filter.recursive()) {
        sql.append(" AND g.parent_name IS NULL");
      }
    } else if (filter.recursive()) {
      sql.append(" AND g.path LIKE ? ESCAPE '\\' AND g.name <> ?");
      parameters.add(PortableSql.contains('/' + filter.parentGroup().get() + '/'));
      parameters.add(filter.parentGroup().get());
    } else {
      sql.append(" AND g.parent_name = ?");
      parameters.add(filter.parentGroup().get());
    }
    sql.append(" ORDER BY ").append(orderedName).append(" LIMIT ").append(page.maxResults() + 1);
    List<ThingGroup> fetched =
        database.read(
            "listing thing groups",
            connection -> {
              try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                  select.setString(i + 1, parameters.get(i));
                }
                return groups(connection, select);
              }
            });
    return RegistryPageToken.fromOverfetch(KIND, fetched, page, ThingGroup::name);
  }

  @Override
  public boolean addThing(String groupName, String thingName) {
    return PortableSql.write(
        database,
        "adding thing '" + thingName + "' to group '" + groupName + "'",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO thing_group_member (group_name, thing_name) VALUES (?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, groupName);
            insert.setString(2, thingName);
            return insert.executeUpdate() > 0;
          }
        });
  }

  @Override
  public boolean removeThing(String groupName, String thingName) {
    return PortableSql.write(
        database,
        "removing thing '" + thingName + "' from group '" + groupName + "'",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM thing_group_member WHERE group_name = ? AND thing_name = ?")) {
            delete.setString(1, groupName);
            delete.setString(2, thingName);
            return delete.executeUpdate() > 0;
          }
        });
  }

  @Override
  public List<String> groupsOf(String thingName) {
    return database.read(
        "reading the groups of thing '" + thingName + "'",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT m.group_name FROM thing_group_member m WHERE m.thing_name = ? ORDER BY "
                      + PortableSql.ordered(database.dialect(), "m.group_name"))) {
            select.setString(1, thingName);
            return strings(select);
          }
        });
  }

  @Override
  public Page<String> thingsIn(String groupName, boolean recursive, PageRequest page) {
    Optional<String> after = RegistryPageToken.after(MEMBERS_KIND, page);
    List<String> parameters = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT m.thing_name FROM thing_group_member m");
    if (recursive) {
      // A thing in several groups of the subtree is listed once.
      sql.append(" JOIN thing_group g ON g.name = m.group_name WHERE g.path LIKE ? ESCAPE '\\'");
      parameters.add(PortableSql.contains('/' + groupName + '/'));
    } else {
      sql.append(" WHERE m.group_name = ?");
      parameters.add(groupName);
    }
    after.ifPresent(
        a -> {
          sql.append(" AND ").append(orderedThing).append(" > ?");
          parameters.add(a);
        });
    if (recursive) {
      sql.append(" GROUP BY m.thing_name");
    }
    sql.append(" ORDER BY ").append(orderedThing).append(" LIMIT ").append(page.maxResults() + 1);
    List<String> fetched =
        database.read(
            "listing the things of group '" + groupName + "'",
            connection -> {
              try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                  select.setString(i + 1, parameters.get(i));
                }
                return strings(select);
              }
            });
    return RegistryPageToken.fromOverfetch(MEMBERS_KIND, fetched, page, t -> t);
  }

  @Override
  public void removeThingEverywhere(String thingName) {
    database.write(
        "removing thing '" + thingName + "' from its groups",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM thing_group_member WHERE thing_name = ?")) {
            delete.setString(1, thingName);
            delete.executeUpdate();
          }
        });
  }

  private static String path(ThingGroup group) {
    StringBuilder path = new StringBuilder("/");
    for (String ancestor : group.ancestors()) {
      path.append(ancestor).append('/');
    }
    return path.append(group.name()).append('/').toString();
  }

  /** The ancestors in a stored path: every segment but the last, which is the group itself. */
  private static List<String> ancestors(String path) {
    String[] segments = path.substring(1, path.length() - 1).split("/");
    return Arrays.asList(segments).subList(0, segments.length - 1);
  }

  private List<ThingGroup> groups(Connection connection, PreparedStatement select)
      throws SQLException {
    record Row(
        String name, String id, String path, String description, long version, long created) {}
    List<Row> rows = new ArrayList<>();
    try (ResultSet result = select.executeQuery()) {
      while (result.next()) {
        rows.add(
            new Row(
                result.getString(1),
                result.getString(2),
                result.getString(3),
                result.getString(4),
                result.getLong(5),
                result.getLong(6)));
      }
    }
    Map<String, Map<String, String>> byGroup =
        attributes.ofAll(connection, rows.stream().map(Row::name).toList());
    return rows.stream()
        .map(
            r ->
                new ThingGroup(
                    r.name(),
                    r.id(),
                    ancestors(r.path()),
                    Optional.ofNullable(r.description()),
                    byGroup.getOrDefault(r.name(), Map.of()),
                    r.version(),
                    Instant.ofEpochMilli(r.created())))
        .toList();
  }

  private static List<String> strings(PreparedStatement select) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
