package io.pylon.domain.shadow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-thing in-flight quota: how many shadow requests of each thing (classic and named shadows
 * together) have been accepted and not yet answered. A thing's counter exists only while it has
 * requests in flight, so memory follows the number of busy things.
 *
 * <p>Counting goes through {@link ConcurrentHashMap#compute}, which holds only the thing's own hash
 * bin for an increment: requests of different things do not queue behind each other, and a count
 * and its removal at zero cannot interleave (a plain {@code AtomicInteger} per thing could be
 * removed at zero while another request is incrementing it, and that request would go uncounted).
 */
final class ShadowInFlight {

  private final int perThing;
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();

  /** {@code perThing} requests may be in flight for one thing; 0 for no limit. */
  ShadowInFlight(int perThing) {
    this.perThing = perThing;
  }

  /** Counts one more request of {@code id}'s thing, or refuses it with 429. */
  InFlightRequest admit(ShadowId id) {
    if (perThing == 0) {
      return new InFlightRequest(id, () -> {});
    }
    String thing = id.thingName();
    boolean[] refused = {false};
    counts.compute(
        thing,
        (t, n) -> {
          int now = n == null ? 0 : n;
          if (now >= perThing) {
            refused[0] = true;
            return n;
          }
          return now + 1;
        });
    if (refused[0]) {
      throw new ShadowException(ShadowException.THROTTLED, "Too many in-flight requests");
    }
    return new InFlightRequest(
        id, () -> counts.computeIfPresent(thing, (t, n) -> n == 1 ? null : n - 1));
  }

  /** Requests of {@code thingName} in flight now. */
  int count(String thingName) {
    return counts.getOrDefault(thingName, 0);
  }
}
