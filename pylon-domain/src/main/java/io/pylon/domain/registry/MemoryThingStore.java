package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Things in a map: the reference implementation of {@link ThingStore}, for tests. */
public final class MemoryThingStore implements ThingStore {

  private final TreeMap<String, Thing> things = new TreeMap<>();

  @Override
  public synchronized Optional<Thing> find(String name) {
    return Optional.ofNullable(things.get(name));
  }

  @Override
  public synchronized boolean insert(Thing thing) {
    return things.putIfAbsent(thing.name(), thing) == null;
  }

  @Override
  public synchronized boolean replace(Thing thing, long storedVersion) {
    Thing current = things.get(thing.name());
    if (current == null || current.version() != storedVersion) {
      return false;
    }
    things.put(thing.name(), thing);
    return true;
  }

  @Override
  public synchronized boolean delete(String name, long storedVersion) {
    Thing current = things.get(name);
    if (current == null || current.version() != storedVersion) {
      return false;
    }
    things.remove(name);
    return true;
  }

  @Override
  public synchronized Page<Thing> list(ThingFilter filter, PageRequest page) {
    List<Thing> matching = things.values().stream().filter(filter::matches).toList();
    return RegistryPageToken.page("things", matching, Thing::name, page);
  }

  @Override
  public synchronized boolean anyOfType(String thingTypeName) {
    return things.values().stream()
        .anyMatch(t -> t.thingTypeName().equals(Optional.of(thingTypeName)));
  }
}
