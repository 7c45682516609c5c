package io.pylon.store.shadow;

import io.pylon.domain.shadow.ShadowId;
import io.pylon.domain.shadow.ShadowRecord;
import io.pylon.domain.shadow.ShadowStore;
import io.pylon.store.Database;
import io.pylon.store.PortableSql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shadows in table {@code shadow}. A first write inserts with {@code ON CONFLICT DO NOTHING} and
 * later ones update {@code WHERE version = ? AND deleted = ?}, so of two writers that read the same
 * row exactly one succeeds, on H2 and PostgreSQL alike.
 */
public final class JdbcShadowStore implements ShadowStore {

  private final Database database;

  public JdbcShadowStore(Database database) {
    this.database = database;
  }

  @Override
  public Optional<ShadowRecord> find(ShadowId id) {
    return database.read(
        "reading shadow " + id,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT version, document, modified_s FROM shadow"
                      + " WHERE thing_name = ? AND shadow_name = ?")) {
            select.setString(1, id.thingName());
            select.setString(2, id.shadowName());
            try (ResultSet row = select.executeQuery()) {
              if (!row.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new ShadowRecord(id, row.getLong(1), row.getString(2), row.getLong(3)));
            }
          }
        });
  }

  @Override
  public boolean replace(Optional<ShadowRecord> expected, ShadowRecord next) {
    ShadowId id = next.id();
    return PortableSql.write(
        database,
        "writing shadow " + id,
        connection -> {
          if (expected.isEmpty()) {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO shadow"
                        + " (thing_name, shadow_name, version, deleted, document, modified_s)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
              insert.setString(1, id.thingName());
              insert.setString(2, id.shadowName());
              insert.setLong(3, next.version());
              insert.setBoolean(4, next.isDeleted());
              insert.setString(5, next.document());
              insert.setLong(6, next.modifiedAtSeconds());
              return insert.executeUpdate() == 1;
            }
          }
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE shadow SET version = ?, deleted = ?, document = ?, modified_s = ?"
                      + " WHERE thing_name = ? AND shadow_name = ? AND version = ? AND deleted = ?")) {
            update.setLong(1, next.version());
            update.setBoolean(2, next.isDeleted());
            update.setString(3, next.document());
            update.setLong(4, next.modifiedAtSeconds());
            update.setString(5, id.thingName());
            update.setString(6, id.shadowName());
            update.setLong(7, expected.get().version());
            update.setBoolean(8, expected.get().isDeleted());
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public List<String> namedShadows(String thingName, Optional<String> afterName, int limit) {
    String column = PortableSql.ordered(database.dialect(), "shadow_name");
    return database.read(
        "listing the named shadows of " + thingName,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT shadow_name FROM shadow WHERE thing_name = ? AND shadow_name <> ''"
                      + " AND deleted = FALSE"
                      + (afterName.isPresent() ? " AND " + column + " > ?" : "")
                      + " ORDER BY "
                      + column
                      + " LIMIT ?")) {
            int i = 1;
            select.setString(i++, thingName);
            if (afterName.isPresent()) {
              select.setString(i++, afterName.get());
            }
            select.setInt(i, limit);
            List<String> names = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                names.add(rows.getString(1));
              }
            }
            return names;
          }
        });
  }
}
