package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.Optional;

/**
 * Where things are kept. Writes are conditional on the stored version so that the service can
 * implement {@code expectedVersion} and concurrent updates without locks.
 */
public interface ThingStore {

  Optional<Thing> find(String name);

  /** Stores a new thing; false if one of that name exists. */
  boolean insert(Thing thing);

  /** Replaces the thing of the same name if its stored version is {@code storedVersion}. */
  boolean replace(Thing thing, long storedVersion);

  /** Deletes the thing if its stored version is {@code storedVersion}. */
  boolean delete(String name, long storedVersion);

  /** Things passing {@code filter}, ascending by name. */
  Page<Thing> list(ThingFilter filter, PageRequest page);

  /** Whether any thing has this thing type. */
  boolean anyOfType(String thingTypeName);
}
