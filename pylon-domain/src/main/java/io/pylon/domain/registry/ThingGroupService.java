package io.pylon.domain.registry;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.error.VersionConflictException;
import io.pylon.domain.tagging.Tag;
import io.pylon.domain.tagging.TaggingService;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Static thing groups and their members: Create/Describe/Update/Delete/ListThingGroups,
 * AddThingToThingGroup, RemoveThingFromThingGroup, UpdateThingGroupsForThing,
 * ListThingGroupsForThing and ListThingsInThingGroup, plus {@link #groupsOfThingWithAncestors} for
 * the features that apply a group's settings (policies) to the things below it.
 *
 * <p>Quotas as in AWS: seven levels of hierarchy, 100 direct children per group, 50 attributes per
 * group, a thing in at most 10 groups. A group with child groups cannot be deleted; deleting one
 * with things ends their memberships.
 */
public final class ThingGroupService {

  private static final int ATTEMPTS = 10;

  private final AwsAccount account;
  private final ThingGroupStore groups;
  private final ThingStore things;
  private final TaggingService tagging;
  private final Clock clock;

  public ThingGroupService(
      AwsAccount account, RegistryStores stores, TaggingService tagging, Clock clock) {
    this.account = Objects.requireNonNull(account, "account");
    this.groups = stores.thingGroups();
    this.things = stores.things();
    this.tagging = Objects.requireNonNull(tagging, "tagging");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public String arnOf(String groupName) {
    return account.arn("thinggroup", groupName);
  }

  /**
   * Creates a group at version 1 under {@code parentGroupName}, or returns the existing one if it
   * has exactly this parent, description and attributes.
   *
   * @throws ResourceAlreadyExistsException if a group of that name differs
   * @throws InvalidRequestException if the parent does not exist, the hierarchy would be deeper
   *     than seven levels, the parent has 100 children, or a value is invalid
   */
  public ThingGroup createThingGroup(
      String name,
      Optional<String> parentGroupName,
      Optional<String> description,
      Map<String, String> attributes,
      List<Tag> tags) {
    RegistryConstraints.name("thingGroupName", name);
    parentGroupName.ifPresent(p -> RegistryConstraints.name("parentGroupName", p));
    description.ifPresent(d -> RegistryConstraints.description("thingGroupDescription", d));
    RegistryConstraints.attributes(attributes);
    RegistryConstraints.groupAttributeCount(attributes);
    tagging.validate(tags);
    SortedMap<String, String> sortedAttributes = new TreeMap<>(attributes);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<ThingGroup> existing = groups.find(name);
      if (existing.isPresent()) {
        ThingGroup group = existing.get();
        if (group.parentName().equals(parentGroupName)
            && group.description().equals(description)
            && group.attributes().equals(sortedAttributes)) {
          return group;
        }
        throw new ResourceAlreadyExistsException(
            "Thing group " + name + " already exists with a different configuration",
            name,
            arnOf(name));
      }
      List<String> ancestors = new ArrayList<>();
      if (parentGroupName.isPresent()) {
        String parentName = parentGroupName.get();
        ThingGroup parent =
            groups
                .find(parentName)
                .orElseThrow(
                    () ->
                        new InvalidRequestException(
                            "parent group " + parentName + " does not exist"));
        if (parent.depth() >= RegistryConstraints.GROUP_DEPTH_MAX) {
          throw new InvalidRequestException(
              "a thing group hierarchy can have at most "
                  + RegistryConstraints.GROUP_DEPTH_MAX
                  + " levels; "
                  + parentName
                  + " is at level "
                  + parent.depth());
        }
        if (groups.childCount(parentName) >= RegistryConstraints.CHILD_GROUPS_MAX) {
          throw new InvalidRequestException(
              "thing group "
                  + parentName
                  + " already has "
                  + RegistryConstraints.CHILD_GROUPS_MAX
                  + " child groups, the most it can have");
        }
        ancestors.addAll(parent.ancestors());
        ancestors.add(parentName);
      }
      ThingGroup created =
          new ThingGroup(
              name,
              UUID.randomUUID().toString(),
              ancestors,
              description,
              sortedAttributes,
              1,
              now());
      if (groups.insert(created)) {
        tagging.tagNew(arnOf(name), tags);
        return created;
      }
    }
    throw new IllegalStateException("thing group " + name + " changes too fast to be created");
  }

  /**
   * @throws ResourceNotFoundException if there is no such group
   */
  public ThingGroup describeThingGroup(String name) {
    RegistryConstraints.name("thingGroupName", name);
    return groups.find(name).orElseThrow(() -> notFound(name));
  }

  public Optional<ThingGroup> findThingGroup(String name) {
    return groups.find(name);
  }

  /**
   * Changes the description (when given; empty clears it) and attributes; returns the new version.
   *
   * @throws VersionConflictException if {@code expectedVersion} is not the current version
   */
  public long updateThingGroup(
      String name,
      Optional<String> description,
      Optional<AttributePayload> attributePayload,
      OptionalLong expectedVersion) {
    RegistryConstraints.name("thingGroupName", name);
    description.ifPresent(d -> RegistryConstraints.description("thingGroupDescription", d));
    attributePayload.ifPresent(p -> RegistryConstraints.attributes(p.attributes()));
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      ThingGroup current = groups.find(name).orElseThrow(() -> notFound(name));
      requireVersion(current, expectedVersion);
      SortedMap<String, String> attributes =
          attributePayload.isPresent()
              ? attributePayload.get().applyTo(current.attributes())
              : current.attributes();
      RegistryConstraints.groupAttributeCount(attributes);
      Optional<String> newDescription =
          description.isPresent() ? description.filter(d -> !d.isEmpty()) : current.description();
      ThingGroup updated =
          new ThingGroup(
              name,
              current.id(),
              current.ancestors(),
              newDescription,
              attributes,
              current.version() + 1,
              current.creationDate());
      if (groups.replace(updated, current.version())) {
        return updated.version();
      }
    }
    throw new VersionConflictException(
        "thing group " + name + " was changed concurrently too often; try again");
  }

  /**
   * Deletes a group that has no child groups, ending its things' memberships. Deleting a group that
   * does not exist succeeds.
   *
   * @throws InvalidRequestException if it has child groups
   * @throws VersionConflictException if {@code expectedVersion} is not the current version
   */
  public void deleteThingGroup(String name, OptionalLong expectedVersion) {
    RegistryConstraints.name("thingGroupName", name);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<ThingGroup> current = groups.find(name);
      if (current.isEmpty()) {
        return;
      }
      requireVersion(current.get(), expectedVersion);
      if (groups.childCount(name) > 0) {
        throw new InvalidRequestException(
            "Cannot delete thing group " + name + " while it has child groups; delete them first");
      }
      if (groups.delete(name, current.get().version())) {
        tagging.forget(arnOf(name));
        return;
      }
    }
    throw new VersionConflictException(
        "thing group " + name + " was changed concurrently too often; try again");
  }

  /**
   * Groups by name. Without a parent: all groups, or only root groups when {@code recursive} is
   * explicitly false. With a parent: its children, or all its descendants when {@code recursive} is
   * true.
   *
   * @throws ResourceNotFoundException if the parent group does not exist
   */
  public Page<ThingGroup> listThingGroups(
      Optional<String> parentGroup,
      Optional<Boolean> recursive,
      Optional<String> namePrefixFilter,
      PageRequest page) {
    parentGroup.ifPresent(p -> describeThingGroup(p));
    namePrefixFilter.ifPresent(p -> RegistryConstraints.name("namePrefixFilter", p));
    boolean deep = recursive.orElse(parentGroup.isEmpty());
    return groups.list(new ThingGroupFilter(parentGroup, deep, namePrefixFilter), page);
  }

  /**
   * Makes a thing a member of a group; nothing happens if it already is.
   *
   * @throws ResourceNotFoundException if the thing or the group does not exist
   * @throws InvalidRequestException if the thing is already in 10 groups
   */
  public void addThingToThingGroup(String groupName, String thingName) {
    describeThingGroup(groupName);
    requireThing(thingName);
    List<String> current = groups.groupsOf(thingName);
    if (current.contains(groupName)) {
      return;
    }
    requireRoom(thingName, current.size() + 1);
    groups.addThing(groupName, thingName);
  }

  /**
   * Ends a thing's membership of a group; nothing happens if it was not a member.
   *
   * @throws ResourceNotFoundException if the thing or the group does not exist
   */
  public void removeThingFromThingGroup(String groupName, String thingName) {
    describeThingGroup(groupName);
    requireThing(thingName);
    groups.removeThing(groupName, thingName);
  }

  /**
   * Adds a thing to some groups and removes it from others. Every group named must exist, and the
   * result must respect the 10-group limit, before anything changes.
   */
  public void updateThingGroupsForThing(
      String thingName, Collection<String> groupsToAdd, Collection<String> groupsToRemove) {
    requireThing(thingName);
    groupsToAdd.forEach(this::describeThingGroup);
    groupsToRemove.forEach(this::describeThingGroup);
    Set<String> result = new LinkedHashSet<>(groups.groupsOf(thingName));
    result.removeAll(groupsToRemove);
    result.addAll(groupsToAdd);
    requireRoom(thingName, result.size());
    for (String group : groupsToRemove) {
      groups.removeThing(group, thingName);
    }
    for (String group : groupsToAdd) {
      groups.addThing(group, thingName);
    }
  }

  /** The groups a thing is a direct member of, by name. */
  public Page<ThingGroup> listThingGroupsForThing(String thingName, PageRequest page) {
    requireThing(thingName);
    List<ThingGroup> direct =
        groups.groupsOf(thingName).stream().flatMap(g -> groups.find(g).stream()).toList();
    return RegistryPageToken.page("groups-of-thing", direct, ThingGroup::name, page);
  }

  /**
   * Names of the things in a group, and with {@code recursive} in its descendants too.
   *
   * @throws ResourceNotFoundException if the group does not exist
   */
  public Page<String> listThingsInThingGroup(
      String groupName, boolean recursive, PageRequest page) {
    describeThingGroup(groupName);
    return groups.thingsIn(groupName, recursive, page);
  }

  /** The names of the groups a thing is a direct member of; empty for an unknown thing. */
  public List<String> directGroupsOf(String thingName) {
    return groups.groupsOf(thingName);
  }

  /**
   * Every group that a thing is in directly or through a child group: its direct groups and all
   * their ancestors, each once, by name. Empty for an unknown thing.
   */
  public List<ThingGroup> groupsOfThingWithAncestors(String thingName) {
    TreeMap<String, ThingGroup> result = new TreeMap<>();
    for (String name : groups.groupsOf(thingName)) {
      groups
          .find(name)
          .ifPresent(
              group -> {
                result.put(group.name(), group);
                for (String ancestor : group.ancestors()) {
                  if (!result.containsKey(ancestor)) {
                    groups.find(ancestor).ifPresent(a -> result.put(a.name(), a));
                  }
                }
              });
    }
    return List.copyOf(result.values());
  }

  private void requireThing(String thingName) {
    RegistryConstraints.name("thingName", thingName);
    if (things.find(thingName).isEmpty()) {
      throw ThingService.notFound(thingName);
    }
  }

  private static void requireRoom(String thingName, int groupCount) {
    if (groupCount > RegistryConstraints.GROUPS_PER_THING_MAX) {
      throw new InvalidRequestException(
          "thing "
              + thingName
              + " can be in at most "
              + RegistryConstraints.GROUPS_PER_THING_MAX
              + " thing groups");
    }
  }

  private static void requireVersion(ThingGroup group, OptionalLong expectedVersion) {
    if (expectedVersion.isPresent() && expectedVersion.getAsLong() != group.version()) {
      throw new VersionConflictException(
          "The version of thing group "
              + group.name()
              + " is "
              + group.version()
              + ", not the expected "
              + expectedVersion.getAsLong());
    }
  }

  private static ResourceNotFoundException notFound(String name) {
    return new ResourceNotFoundException("Thing group " + name + " cannot be found.");
  }

  /**
   * Stores keep milliseconds, as AWS reports dates; truncating here keeps reads equal to writes.
   */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
