package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.List;
import java.util.Optional;

/** Where thing groups and their members are kept. */
public interface ThingGroupStore {

  Optional<ThingGroup> find(String name);

  /** Stores a new group; false if one of that name exists. */
  boolean insert(ThingGroup group);

  /** Replaces the group of the same name if its stored version is {@code storedVersion}. */
  boolean replace(ThingGroup group, long storedVersion);

  /**
   * Deletes the group and its memberships if its stored version is {@code storedVersion}; false
   * otherwise.
   */
  boolean delete(String name, long storedVersion);

  /** The number of groups whose parent is {@code name}. */
  int childCount(String name);

  /** Groups passing {@code filter}, ascending by name. */
  Page<ThingGroup> list(ThingGroupFilter filter, PageRequest page);

  /** Makes a thing a direct member of a group; false if it already was. */
  boolean addThing(String groupName, String thingName);

  /** False if the thing was not a direct member. */
  boolean removeThing(String groupName, String thingName);

  /** The groups a thing is a direct member of, by name. */
  List<String> groupsOf(String thingName);

  /**
   * Names of the things in a group, and with {@code recursive} of those in its descendants too,
   * each once, ascending.
   */
  Page<String> thingsIn(String groupName, boolean recursive, PageRequest page);

  /** Ends every membership of a thing, when the thing is deleted. */
  void removeThingEverywhere(String thingName);
}
