package io.pylon.domain.shadow;

/**
 * Size and shape limits of a shadow document.
 *
 * @param maxStateBytes most bytes of {@code desired} plus {@code reported} as compact JSON,
 *     metadata excluded (AWS: 8 KB)
 * @param maxDepth deepest nesting inside {@code desired} or {@code reported}, the section object
 *     counting as level 1 (AWS: 6)
 */
public record ShadowLimits(int maxStateBytes, int maxDepth) {

  /** AWS IoT's limits. */
  public static final ShadowLimits AWS = new ShadowLimits(8 * 1024, 6);

  public ShadowLimits {
    if (maxStateBytes < 1 || maxDepth < 1) {
      throw new IllegalArgumentException("shadow limits must be positive");
    }
  }
}
