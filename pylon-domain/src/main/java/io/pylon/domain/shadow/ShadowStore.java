package io.pylon.domain.shadow;

import java.util.List;
import java.util.Optional;

/**
 * Where shadows are kept. Writes are conditional, so that concurrent updates of one shadow from
 * several threads or servers never overwrite each other unseen.
 */
public interface ShadowStore {

  /** The stored shadow, including a deleted one's remaining row; empty when never stored. */
  Optional<ShadowRecord> find(ShadowId id);

  /**
   * Stores {@code next} if the shadow is still as {@code expected} left it (same version and same
   * deleted state), or, when {@code expected} is empty, if it has never been stored.
   *
   * @return false when another writer got there first; nothing was changed
   */
  boolean replace(Optional<ShadowRecord> expected, ShadowRecord next);

  /**
   * Names of the thing's named shadows that exist (not deleted), ascending, after {@code afterName}
   * (exclusive; empty for the start), at most {@code limit}.
   */
  List<String> namedShadows(String thingName, Optional<String> afterName, int limit);
}
