package io.pylon.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done on a connection inside a transaction that {@link Database} opens, commits or rolls back
 * around it. Implementations must not commit, roll back or close the connection themselves.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface SqlWork<T> {

  T run(Connection connection) throws SQLException;
}
