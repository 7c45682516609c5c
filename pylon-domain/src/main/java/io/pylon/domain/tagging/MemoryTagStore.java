package io.pylon.domain.tagging;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tags in a map: the reference implementation of {@link TagStore}, for tests. */
public final class MemoryTagStore implements TagStore {

  private final Map<String, TreeMap<String, String>> tags = new HashMap<>();

  @Override
  public synchronized List<Tag> tagsOf(String resourceArn) {
    return tags.getOrDefault(resourceArn, new TreeMap<>()).entrySet().stream()
        .map(e -> new Tag(e.getKey(), e.getValue()))
        .toList();
  }

  @Override
  public synchronized void put(String resourceArn, Collection<Tag> newTags) {
    TreeMap<String, String> resource = tags.computeIfAbsent(resourceArn, a -> new TreeMap<>());
    newTags.forEach(t -> resource.put(t.key(), t.value()));
  }

  @Override
  public synchronized void remove(String resourceArn, Collection<String> keys) {
    TreeMap<String, String> resource = tags.get(resourceArn);
    if (resource != null) {
      resource.keySet().removeAll(keys);
    }
  }

  @Override
  public synchronized void removeAll(String resourceArn) {
    tags.remove(resourceArn);
  }
}
