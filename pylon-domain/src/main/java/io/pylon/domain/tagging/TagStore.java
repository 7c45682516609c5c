package io.pylon.domain.tagging;

import java.util.Collection;
import java.util.List;

/** Where tags are kept, by resource ARN. */
public interface TagStore {

  /** The tags of a resource, ascending by key; empty for an untagged or unknown resource. */
  List<Tag> tagsOf(String resourceArn);

  /** Adds the tags, replacing the values of keys the resource already has. */
  void put(String resourceArn, Collection<Tag> tags);

  /** Removes the tags with these keys; keys the resource does not have are ignored. */
  void remove(String resourceArn, Collection<String> keys);

  /** Removes every tag of a resource, when it is deleted. */
  void removeAll(String resourceArn);
}
