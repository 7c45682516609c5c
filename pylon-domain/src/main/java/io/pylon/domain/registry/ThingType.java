package io.pylon.domain.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A thing type. Deprecated types keep their things but take no new ones, and only deprecated,
 * unused types can be deleted.
 *
 * @param name unique in the account, {@code [a-zA-Z0-9:_-]{1,128}}
 * @param id a UUID assigned at creation
 * @param properties description, searchable and propagating attributes
 * @param deprecated whether DeprecateThingType was called (and not undone)
 * @param deprecationDate when it was deprecated, while it is
 * @param creationDate when it was created
 */
public record ThingType(
    String name,
    String id,
    ThingTypeProperties properties,
    boolean deprecated,
    Optional<Instant> deprecationDate,
    Instant creationDate) {

  public ThingType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(properties, "properties");
    Objects.requireNonNull(deprecationDate, "deprecationDate");
    Objects.requireNonNull(creationDate, "creationDate");
  }
}
