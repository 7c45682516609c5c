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
 */
public record ShadowLimits(int maxStateBytes, int maxDepth, int requestsPerSecond) {

  /** AWS IoT's limits. */
  public static final ShadowLimits AWS = new ShadowLimits(8 * 1024, 6, 20);

  public ShadowLimits {
    if (maxStateBytes < 1 || maxDepth < 1 || requestsPerSecond < 0) {
      throw new IllegalArgumentException("shadow limits must be positive");
    }
  }

  /** These limits without the request rate quota. */
  public ShadowLimits unthrottled() {
    return new ShadowLimits(maxStateBytes, maxDepth, 0);
  }
}
