package io.pylon.domain.registry;

import java.util.Optional;

/**
 * Which groups ListThingGroups returns.
 *
 * @param parentGroup only groups below this one; empty for the whole account
 * @param recursive with a parent, all descendants rather than only children; without one, all
 *     groups rather than only root groups
 * @param namePrefix only groups whose name starts with this
 */
public record ThingGroupFilter(
    Optional<String> parentGroup, boolean recursive, Optional<String> namePrefix) {

  public static final ThingGroupFilter ALL =
      new ThingGroupFilter(Optional.empty(), true, Optional.empty());

  /** Whether {@code group} passes, the meaning that every store must implement. */
  public boolean matches(ThingGroup group) {
    if (namePrefix.isPresent() && !group.name().startsWith(namePrefix.get())) {
      return false;
    }
    if (parentGroup.isEmpty()) {
      return recursive || group.ancestors().isEmpty();
    }
    String parent = parentGroup.get();
    return recursive ? group.ancestors().contains(parent) : group.parentName().equals(parentGroup);
  }
}
