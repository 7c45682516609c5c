package io.pylon.store.identity;

import io.pylon.domain.PageRequest;
import io.pylon.domain.identity.CreationMarker;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of paging by (created_ms, id) from a {@link CreationMarker}: the condition that follows
 * the marker, the order, and one row more than the page to know whether another page follows.
 */
final class Keyset {

  private Keyset() {}

  /** " AND (created_ms > ? OR (created_ms = ? AND id > ?))" or nothing for a first page. */
  static String after(PageRequest page, boolean ascending) {
    if (page.nextToken().isEmpty()) {
      return "";
    }
    String cmp = ascending ? ">" : "<";
    return " AND (created_ms " + cmp + " ? OR (created_ms = ? AND id " + cmp + " ?))";
  }

  static String orderAndLimit(PageRequest page, boolean ascending) {
    String direction = ascending ? "ASC" : "DESC";
    return " ORDER BY created_ms "
        + direction
        + ", id "
        + direction
        + " LIMIT "
        + (page.maxResults() + 1);
  }

  /** Binds the marker's values from parameter {@code index}; returns the next free index. */
  static int bind(PreparedStatement statement, int index, PageRequest page) throws SQLException {
    Optional<CreationMarker> marker = page.nextToken().map(CreationMarker::decode);
    if (marker.isEmpty()) {
      return index;
    }
    long millis = marker.get().creationDate().toEpochMilli();
    statement.setLong(index, millis);
    statement.setLong(index + 1, millis);
    statement.setString(index + 2, marker.get().id());
    return index + 3;
  }

  /** The marker after the last item of a page, when more rows than the page were read. */
  static <T> Optional<String> next(
      List<T> rows,
      PageRequest page,
      java.util.function.Function<T, java.time.Instant> created,
      java.util.function.Function<T, String> id) {
    if (rows.size() <= page.maxResults()) {
      return Optional.empty();
    }
    T last = rows.get(page.maxResults() - 1);
    return Optional.of(new CreationMarker(created.apply(last), id.apply(last)).encode());
  }
}
