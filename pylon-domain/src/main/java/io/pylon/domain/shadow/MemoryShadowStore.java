package io.pylon.domain.shadow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Shadows in a map: the reference implementation of {@link ShadowStore}, for tests. */
public final class MemoryShadowStore implements ShadowStore {

  private final Map<String, ShadowRecord> shadows = new TreeMap<>();

  @Override
  public synchronized Optional<ShadowRecord> find(ShadowId id) {
    return Optional.ofNullable(shadows.get(key(id)));
  }

  @Override
  public synchronized boolean replace(Optional<ShadowRecord> expected, ShadowRecord next) {
    ShadowRecord current = shadows.get(key(next.id()));
    boolean matches =
        expected.isEmpty()
            ? current == null
            : current != null
                && current.version() == expected.get().version()
                && current.isDeleted() == expected.get().isDeleted();
    if (matches) {
      shadows.put(key(next.id()), next);
    }
    return matches;
  }

  @Override
  public synchronized List<String> namedShadows(
      String thingName, Optional<String> afterName, int limit) {
    List<String> names = new ArrayList<>();
    for (ShadowRecord r : shadows.values()) {
      ShadowId id = r.id();
      if (id.thingName().equals(thingName)
          && !id.isClassic()
          && !r.isDeleted()
          && afterName.map(a -> id.shadowName().compareTo(a) > 0).orElse(true)) {
        names.add(id.shadowName());
      }
    }
    names.sort(null);
    return names.size() > limit ? names.subList(0, limit) : names;
  }

  private static String key(ShadowId id) {
    // '/' appears in neither name, so the key is unambiguous.
    return id.thingName() + '/' + id.shadowName();
  }
}
