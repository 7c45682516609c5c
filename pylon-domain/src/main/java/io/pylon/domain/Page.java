package io.pylon.domain;

import java.util.List;
import java.util.Optional;

/**
 * Items of one page and the token for the next, empty on the last page.
 *
 * @param <T> item type
 */
public record Page<T>(List<T> items, Optional<String> nextToken) {

  public Page {
    items = List.copyOf(items);
  }

  public static <T> Page<T> last(List<T> items) {
    return new Page<>(items, Optional.empty());
  }
}
