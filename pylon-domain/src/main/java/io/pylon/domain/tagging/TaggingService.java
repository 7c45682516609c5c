package io.pylon.domain.tagging;

import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.LimitExceededException;
import io.pylon.domain.error.ResourceNotFoundException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * TagResource, UntagResource and ListTagsForResource, and the tags given when a resource is
 * created. Tag keys and values follow the AWS model (key 1..128 of letters, digits, spaces and
 * {@code _.:/=+-@}, value up to 256 characters); a resource carries at most 50 tags and keys
 * starting with {@code aws:} are reserved, as in AWS.
 */
public final class TaggingService {

  public static final int TAGS_PER_RESOURCE_MAX = 50;
  private static final Pattern KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
  private static final int KEY_MAX = 128;
  private static final int VALUE_MAX = 256;

  private final TagStore store;
  private final TaggableResources resources;

  public TaggingService(TagStore store, TaggableResources resources) {
    this.store = Objects.requireNonNull(store, "store");
    this.resources = Objects.requireNonNull(resources, "resources");
  }

  public void tagResource(String resourceArn, List<Tag> tags) {
    requireExisting(resourceArn);
    if (tags.isEmpty()) {
      throw new InvalidRequestException("tags must contain at least one tag");
    }
    Map<String, String> merged = byKey(store.tagsOf(resourceArn));
    validated(tags).forEach(merged::put);
    if (merged.size() > TAGS_PER_RESOURCE_MAX) {
      throw new LimitExceededException(
          "a resource can have at most "
              + TAGS_PER_RESOURCE_MAX
              + " tags; "
              + resourceArn
              + " would have "
              + merged.size());
    }
    store.put(resourceArn, tags);
  }

  public void untagResource(String resourceArn, Collection<String> tagKeys) {
    requireExisting(resourceArn);
    tagKeys.forEach(TaggingService::key);
    store.remove(resourceArn, tagKeys);
  }

  public List<Tag> listTagsForResource(String resourceArn) {
    requireExisting(resourceArn);
    return store.tagsOf(resourceArn);
  }

  /**
   * Checks the tags of a Create request before the resource is created, so that invalid tags fail
   * the whole request.
   */
  public void validate(List<Tag> tags) {
    if (validated(tags).size() > TAGS_PER_RESOURCE_MAX) {
      throw new InvalidRequestException(
          "a resource can have at most " + TAGS_PER_RESOURCE_MAX + " tags");
    }
  }

  /** Stores the (validated) tags of a resource just created. */
  public void tagNew(String resourceArn, List<Tag> tags) {
    if (!tags.isEmpty()) {
      store.put(resourceArn, tags);
    }
  }

  /** Drops the tags of a deleted resource. */
  public void forget(String resourceArn) {
    store.removeAll(resourceArn);
  }

  private void requireExisting(String resourceArn) {
    if (resourceArn == null || resourceArn.isEmpty()) {
      throw new InvalidRequestException("resourceArn must not be empty");
    }
    if (!resourceArn.startsWith("arn:")) {
      throw new InvalidRequestException("resourceArn '" + resourceArn + "' is not an ARN");
    }
    if (!resources.exists(resourceArn)) {
      throw new ResourceNotFoundException(
          "resource " + resourceArn + " cannot be found, or cannot be tagged");
    }
  }

  private static Map<String, String> validated(List<Tag> tags) {
    Map<String, String> byKey = new TreeMap<>();
    for (Tag tag : tags) {
      key(tag.key());
      if (tag.value().length() > VALUE_MAX) {
        throw new InvalidRequestException(
            "the value of tag " + tag.key() + " must be at most " + VALUE_MAX + " characters long");
      }
      if (byKey.put(tag.key(), tag.value()) != null) {
        throw new InvalidRequestException("tag key " + tag.key() + " is given more than once");
      }
    }
    return byKey;
  }

  private static void key(String key) {
    if (key == null || key.isEmpty() || key.length() > KEY_MAX) {
      throw new InvalidRequestException("a tag key must be 1 to " + KEY_MAX + " characters long");
    }
    if (!KEY.matcher(key).matches()) {
      throw new InvalidRequestException(
          "tag key '" + key + "' may contain only letters, digits, spaces and _.:/=+-@");
    }
    if (key.startsWith("aws:")) {
      throw new InvalidRequestException("tag keys starting with 'aws:' are reserved");
    }
  }

  private static Map<String, String> byKey(List<Tag> tags) {
    Map<String, String> map = new TreeMap<>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }
}
