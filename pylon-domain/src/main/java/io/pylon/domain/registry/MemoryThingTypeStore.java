package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Thing types in a map: the reference implementation of {@link ThingTypeStore}, for tests. */
public final class MemoryThingTypeStore implements ThingTypeStore {

  private final TreeMap<String, ThingType> types = new TreeMap<>();

  @Override
  public synchronized Optional<ThingType> find(String name) {
    return Optional.ofNullable(types.get(name));
  }

  @Override
  public synchronized boolean insert(ThingType thingType) {
    return types.putIfAbsent(thingType.name(), thingType) == null;
  }

  @Override
  public synchronized boolean replace(ThingType thingType) {
    return types.replace(thingType.name(), thingType) != null;
  }

  @Override
  public synchronized boolean delete(String name) {
    return types.remove(name) != null;
  }

  @Override
  public synchronized Page<ThingType> list(Optional<String> namePrefix, PageRequest page) {
    List<ThingType> matching =
        types.values().stream()
            .filter(t -> namePrefix.map(p -> t.name().startsWith(p)).orElse(true))
            .toList();
    return RegistryPageToken.page("thing-types", matching, ThingType::name, page);
  }
}
