package io.pylon.domain.shadow;

/**
 * Size, shape and rate limits of shadows.
 *
 * @param maxStateBytes most bytes of {@code desired} plus {@code reported} as compact JSON,
 *     metadata excluded (AWS: 8 KB)
 * @param maxDepth deepest nesting inside {@code desired} or {@code reported}, the section object
 *     counting as level 1 (AWS: 6)
 * @param requestsPerSecond get, update and delete requests one shadow accepts per second, in bursts
 *     of as many; more are refused with 429 (AWS: 20); 0 for no limit
 * @param inFlightPerThing get, update and delete requests of one thing (all its shadows) accepted
 *     and not yet answered; more are refused with 429 (AWS: 10); 0 for no limit
 */
public record ShadowLimits(
    int maxStateBytes, int maxDepth, int requestsPerSecond, int inFlightPerThing) {

  /** AWS IoT's limits. */
  public static final ShadowLimits AWS = new ShadowLimits(8 * 1024, 6, 20, 10);

  public ShadowLimits {
    if (maxStateBytes < 1) {
      throw new IllegalArgumentException("max-state-bytes must be at least 1");
    }
    if (maxDepth < 1) {
      throw new IllegalArgumentException("max-depth must be at least 1");
    }
    if (requestsPerSecond < 0) {
      throw new IllegalArgumentException("requests-per-second must not be negative");
    }
    if (inFlightPerThing < 0) {
      throw new IllegalArgumentException("in-flight-per-thing must not be negative");
    }
  }

  /** These limits without the request quotas (rate and in-flight), for tests that race updates. */
  public ShadowLimits unthrottled() {
    return new ShadowLimits(maxStateBytes, maxDepth, 0, 0);
  }
}
