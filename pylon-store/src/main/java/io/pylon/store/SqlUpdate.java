package io.pylon.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A write done on a connection inside a transaction that {@link Database} opens and commits around
 * it. Implementations must not commit, roll back or close the connection themselves.
 */
@FunctionalInterface
public interface SqlUpdate {

  void run(Connection connection) throws SQLException;
}
