package io.pylon.domain.policy;

import java.util.List;
import java.util.Optional;

/**
 * The thing-group hierarchy as far as policies need it: policies attached to a group apply to the
 * things in it and in every group below it. The server implements it over the registry.
 */
public interface ThingGroupAncestry {

  /**
   * The groups above {@code groupName}, its parent first and the root last; an empty list for a
   * root group, empty when no such group exists.
   */
  Optional<List<String>> ancestorsOf(String groupName);

  /**
   * The groups that {@code thingName} is a direct member of (static and dynamic), empty when no
   * such thing exists.
   */
  Optional<List<String>> groupsOf(String thingName);
}
