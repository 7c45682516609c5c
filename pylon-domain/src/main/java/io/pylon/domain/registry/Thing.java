package io.pylon.domain.registry;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A registered thing.
 *
 * @param name unique in the account, {@code [a-zA-Z0-9:_-]{1,128}}
 * @param id a UUID assigned at creation, never reused
 * @param thingTypeName its thing type, if any
 * @param attributes name to value, sorted by name
 * @param version 1 at creation, one more on every update
 */
public record Thing(
    String name,
    String id,
    Optional<String> thingTypeName,
    SortedMap<String, String> attributes,
    long version) {

  public Thing {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(thingTypeName, "thingTypeName");
    attributes = sorted(attributes);
  }

  public Thing(
      String name,
      String id,
      Optional<String> thingTypeName,
      Map<String, String> attributes,
      long version) {
    this(name, id, thingTypeName, sorted(attributes), version);
  }

  static SortedMap<String, String> sorted(Map<String, String> attributes) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
  }
}
