package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** Thing groups in maps: the reference implementation of {@link ThingGroupStore}, for tests. */
public final class MemoryThingGroupStore implements ThingGroupStore {

  private final TreeMap<String, ThingGroup> groups = new TreeMap<>();
  private final Map<String, TreeSet<String>> members = new TreeMap<>();

  @Override
  public synchronized Optional<ThingGroup> find(String name) {
    return Optional.ofNullable(groups.get(name));
  }

  @Override
  public synchronized boolean insert(ThingGroup group) {
    return groups.putIfAbsent(group.name(), group) == null;
  }

  @Override
  public synchronized boolean replace(ThingGroup group, long storedVersion) {
    ThingGroup current = groups.get(group.name());
    if (current == null || current.version() != storedVersion) {
      return false;
    }
    groups.put(group.name(), group);
    return true;
  }

  @Override
  public synchronized boolean delete(String name, long storedVersion) {
    ThingGroup current = groups.get(name);
    if (current == null || current.version() != storedVersion) {
      return false;
    }
    groups.remove(name);
    members.remove(name);
    return true;
  }

  @Override
  public synchronized int childCount(String name) {
    return (int)
        groups.values().stream().filter(g -> g.parentName().equals(Optional.of(name))).count();
  }

  @Override
  public synchronized Page<ThingGroup> list(ThingGroupFilter filter, PageRequest page) {
    List<ThingGroup> matching = groups.values().stream().filter(filter::matches).toList();
    return RegistryPageToken.page("thing-groups", matching, ThingGroup::name, page);
  }

  @Override
  public synchronized boolean addThing(String groupName, String thingName) {
    return members.computeIfAbsent(groupName, g -> new TreeSet<>()).add(thingName);
  }

  @Override
  public synchronized boolean removeThing(String groupName, String thingName) {
    TreeSet<String> things = members.get(groupName);
    return things != null && things.remove(thingName);
  }

  @Override
  public synchronized List<String> groupsOf(String thingName) {
    return members.entrySet().stream()
        .filter(e -> e.getValue().contains(thingName))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  @Override
  public synchronized Page<String> thingsIn(String groupName, boolean recursive, PageRequest page) {
    TreeSet<String> things = new TreeSet<>();
    for (ThingGroup group : groups.values()) {
      boolean included = recursive ? group.isWithin(groupName) : group.name().equals(groupName);
      if (included) {
        things.addAll(members.getOrDefault(group.name(), new TreeSet<>()));
      }
    }
    return RegistryPageToken.page("group-things", List.copyOf(things), t -> t, page);
  }

  @Override
  public synchronized void removeThingEverywhere(String thingName) {
    members.values().forEach(things -> things.remove(thingName));
  }
}
