package io.pylon.domain.shadow;

import java.util.List;
import java.util.Optional;

/**
 * One page of ListNamedShadowsForThing.
 *
 * @param names shadow names, ascending
 * @param nextToken where the next page starts, empty on the last page
 * @param timestamp epoch seconds of the answer
 */
public record NamedShadows(List<String> names, Optional<String> nextToken, long timestamp) {

  public NamedShadows {
    names = List.copyOf(names);
  }
}
