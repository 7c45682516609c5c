package io.pylon.store.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryPageToken;
import io.pylon.domain.registry.ThingPrincipal;
import io.pylon.domain.registry.ThingPrincipalStore;
import io.pylon.domain.registry.ThingPrincipalType;
import io.pylon.store.Database;
import io.pylon.store.PortableSql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Attachments of principals to things, in {@code thing_principal}. */
public final class JdbcThingPrincipalStore implements ThingPrincipalStore {

  private static final String OF_THING = "thing-principals";
  private static final String OF_PRINCIPAL = "principal-things";

  private final Database database;
  private final String upsert;

  public JdbcThingPrincipalStore(Database database) {
    this.database = database;
    this.upsert =
        database
            .dialect()
            .upsert(
                "thing_principal",
                List.of("thing_name", "principal"),
                List.of("thing_name", "principal", "principal_type"));
  }

  @Override
  public void attach(ThingPrincipal attachment) {
    database.write(
        "attaching a principal to thing '" + attachment.thingName() + "'",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(upsert)) {
            statement.setString(1, attachment.thingName());
            statement.setString(2, attachment.principal());
            statement.setString(3, attachment.type().name());
            statement.executeUpdate();
          }
        });
  }

  @Override
  public boolean detach(String thingName, String principal) {
    return PortableSql.write(
        database,
        "detaching a principal from thing '" + thingName + "'",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM thing_principal WHERE thing_name = ? AND principal = ?")) {
            delete.setString(1, thingName);
            delete.setString(2, principal);
            return delete.executeUpdate() > 0;
          }
        });
  }

  @Override
  public Page<ThingPrincipal> ofThing(
      String thingName, Optional<ThingPrincipalType> type, PageRequest page) {
    return page(OF_THING, "thing_name", "principal", thingName, type, page);
  }

  @Override
  public Page<ThingPrincipal> ofPrincipal(
      String principal, Optional<ThingPrincipalType> type, PageRequest page) {
    return page(OF_PRINCIPAL, "principal", "thing_name", principal, type, page);
  }

  @Override
  public List<ThingPrincipal> allOfPrincipal(String principal) {
    return database.read(
        "reading the things of a principal",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT thing_name, principal, principal_type FROM thing_principal"
                      + " WHERE principal = ? ORDER BY "
                      + PortableSql.ordered(database.dialect(), "thing_name"))) {
            select.setString(1, principal);
            return attachments(select);
          }
        });
  }

  @Override
  public boolean thingHasPrincipals(String thingName) {
    return database.read(
        "looking for principals of thing '" + thingName + "'",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT 1 FROM thing_principal WHERE thing_name = ? LIMIT 1")) {
            select.setString(1, thingName);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next();
            }
          }
        });
  }

  /** A page of the attachments whose {@code keyColumn} is {@code key}, by {@code sortColumn}. */
  private Page<ThingPrincipal> page(
      String kind,
      String keyColumn,
      String sortColumn,
      String key,
      Optional<ThingPrincipalType> type,
      PageRequest page) {
    Optional<String> after = RegistryPageToken.after(kind, page);
    String ordered = PortableSql.ordered(database.dialect(), sortColumn);
    StringBuilder sql =
        new StringBuilder(
            "SELECT thing_name, principal, principal_type FROM thing_principal WHERE "
                + keyColumn
                + " = ?");
    List<String> parameters = new ArrayList<>(List.of(key));
    type.ifPresent(
        t -> {
          sql.append(" AND principal_type = ?");
          parameters.add(t.name());
        });
    after.ifPresent(
        a -> {
          sql.append(" AND ").append(ordered).append(" > ?");
          parameters.add(a);
        });
    sql.append(" ORDER BY ").append(ordered).append(" LIMIT ").append(page.maxResults() + 1);
    List<ThingPrincipal> fetched =
        database.read(
            "listing thing principals",
            connection -> {
              try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                  select.setString(i + 1, parameters.get(i));
                }
                return attachments(select);
              }
            });
    return RegistryPageToken.fromOverfetch(
        kind,
        fetched,
        page,
        sortColumn.equals("principal") ? ThingPrincipal::principal : ThingPrincipal::thingName);
  }

  private static List<ThingPrincipal> attachments(PreparedStatement select) throws SQLException {
    List<ThingPrincipal> result = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(
            new ThingPrincipal(
                rows.getString(1),
                rows.getString(2),
                ThingPrincipalType.valueOf(rows.getString(3))));
      }
    }
    return result;
  }
}
