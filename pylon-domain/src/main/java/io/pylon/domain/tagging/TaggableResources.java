package io.pylon.domain.tagging;

import java.util.List;

/**
 * Which ARNs name an existing resource that can carry tags. Each feature owning taggable resources
 * (thing groups and types, policies, rules, jobs, ...) provides one; the server combines them.
 */
@FunctionalInterface
public interface TaggableResources {

  boolean exists(String resourceArn);

  /** Resources that any of {@code parts} knows. */
  static TaggableResources anyOf(List<TaggableResources> parts) {
    List<TaggableResources> copy = List.copyOf(parts);
    return arn -> copy.stream().anyMatch(p -> p.exists(arn));
  }
}
