package io.pylon.store.testing;

import io.pylon.store.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One database on the test server, owned by an ordinary (not superuser) role, as an operator would
 * set it up for Pylon.
 *
 * @param name the database name
 * @param url {@code jdbc:postgresql://127.0.0.1:<port>/<name>}
 * @param user the owning role
 * @param password its password
 */
public record PostgresDatabase(String name, String url, String user, String password) {

  /** Opens it as Pylon does: pooled, migrated. The caller closes it. */
  public Database open() {
    return Database.postgres(url, user, password);
  }

  /** A plain connection as the owner, for looking at what Pylon stored. The caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  @Override
  public String toString() {
    return "PostgresDatabase[" + url + ", user=" + user + "]";
  }
}
