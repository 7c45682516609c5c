package io.pylon.domain.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A static thing group. Its place in the hierarchy is fixed at creation (AWS IoT has no way to move
 * a group), so the ancestors are stored with it.
 *
 * @param name unique in the account, {@code [a-zA-Z0-9:_-]{1,128}}
 * @param id a UUID assigned at creation
 * @param ancestors the names from the root down to the parent; empty for a root group
 * @param description free text, up to 2028 characters
 * @param attributes name to value, sorted by name
 * @param version 1 at creation, one more on every update
 * @param creationDate when it was created
 */
public record ThingGroup(
    String name,
    String id,
    List<String> ancestors,
    Optional<String> description,
    SortedMap<String, String> attributes,
    long version,
    Instant creationDate) {

  public ThingGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    ancestors = List.copyOf(ancestors);
    Objects.requireNonNull(description, "description");
    attributes = Thing.sorted(attributes);
    Objects.requireNonNull(creationDate, "creationDate");
  }

  public ThingGroup(
      String name,
      String id,
      List<String> ancestors,
      Optional<String> description,
      Map<String, String> attributes,
      long version,
      Instant creationDate) {
    this(name, id, ancestors, description, Thing.sorted(attributes), version, creationDate);
  }

  public Optional<String> parentName() {
    return ancestors.isEmpty()
        ? Optional.empty()
        : Optional.of(ancestors.get(ancestors.size() - 1));
  }

  /** 1 for a root group. */
  public int depth() {
    return ancestors.size() + 1;
  }

  /** Whether this group is {@code other} or lies below it. */
  public boolean isWithin(String other) {
    return name.equals(other) || ancestors.contains(other);
  }
}
