package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.Optional;

/** Where thing types are kept. */
public interface ThingTypeStore {

  Optional<ThingType> find(String name);

  /** Stores a new thing type; false if one of that name exists. */
  boolean insert(ThingType thingType);

  /** Replaces the stored thing type of the same name; false if there is none. */
  boolean replace(ThingType thingType);

  /** False if there was none. */
  boolean delete(String name);

  /** Thing types whose name starts with {@code namePrefix} (all when empty), by name. */
  Page<ThingType> list(Optional<String> namePrefix, PageRequest page);
}
