package io.pylon.domain.policy.language;

/**
 * A variable-free wildcard pattern: {@code *} matches any run of characters (including {@code /}
 * and {@code :}), {@code ?} exactly one. Stored as the literal segments between stars, each with a
 * mask of its {@code ?} positions, and matched without regular expressions: the first segment is
 * anchored at the start, the last at the end, and each middle one is taken at its leftmost
 * occurrence, which is optimal for fixed-length segments. The cost is bounded by input length times
 * pattern length; there is no backtracking blow-up.
 */
final class Glob {

  /** Matches nothing: a pattern whose policy variable could not be resolved. */
  static final Glob NEVER = new Glob(new String[] {""}, new boolean[][] {null}, false, true);

  /** {@code *} alone. */
  static final Glob ANYTHING =
      new Glob(new String[] {"", ""}, new boolean[][] {null, null}, false, false);

  private final String[] segments;
  private final boolean[][] singleCharMasks;
  private final boolean ignoreCase;
  private final boolean never;
  private final boolean anything;
  private final boolean plain;

  private Glob(String[] segments, boolean[][] singleCharMasks, boolean ignoreCase, boolean never) {
    this.segments = segments;
    this.singleCharMasks = singleCharMasks;
    this.ignoreCase = ignoreCase;
    this.never = never;
    this.anything =
        segments.length >= 2
            && java.util.Arrays.stream(segments).allMatch(String::isEmpty)
            && !never;
    this.plain = segments.length == 1 && singleCharMasks[0] == null && !ignoreCase;
  }

  static Glob of(String[] segments, boolean[][] singleCharMasks, boolean ignoreCase) {
    return new Glob(segments, singleCharMasks, ignoreCase, false);
  }

  /** A pattern that matches exactly {@code text}. */
  static Glob literal(String text, boolean ignoreCase) {
    return new Glob(new String[] {text}, new boolean[][] {null}, ignoreCase, false);
  }

  boolean hasWildcards() {
    if (segments.length > 1) {
      return true;
    }
    return singleCharMasks[0] != null;
  }

  boolean matches(String s) {
    return matches(s, 0, s.length());
  }

  /** Whether {@code s[from, to)} matches. */
  boolean matches(String s, int from, int to) {
    if (anything) {
      return true;
    }
    if (never) {
      return false;
    }
    int n = segments.length;
    if (n == 1) {
      if (plain && from == 0 && to == s.length()) {
        return s.equals(segments[0]);
      }
      return to - from == segments[0].length() && segmentAt(0, s, from);
    }
    int start = from + segments[0].length();
    int end = to - segments[n - 1].length();
    // The suffix first: it is short and tells most non-matching resources apart (dt/*/admin),
    // while the prefix is mostly the ARN that every resource of the account shares.
    if (end < start || !segmentAt(n - 1, s, end) || !segmentAt(0, s, from)) {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      String segment = segments[i];
      int length = segment.length();
      if (length == 0) {
        continue;
      }
      int found = -1;
      if (singleCharMasks[i] == null && !ignoreCase) {
        int at = s.indexOf(segment, start);
        if (at >= 0 && at <= end - length) {
          found = at;
        }
      } else {
        for (int at = start; at <= end - length; at++) {
          if (segmentAt(i, s, at)) {
            found = at;
            break;
          }
        }
      }
      if (found < 0) {
        return false;
      }
      start = found + length;
    }
    return true;
  }

  private boolean segmentAt(int index, String s, int at) {
    String segment = segments[index];
    boolean[] mask = singleCharMasks[index];
    if (mask == null) {
      if (ignoreCase) {
        return s.regionMatches(true, at, segment, 0, segment.length());
      }
      // Backwards: patterns of one account share a long ARN prefix, so a mismatch usually shows
      // near the end of a segment (the thing name in topic/dt/pump-7/...).
      for (int i = segment.length() - 1; i >= 0; i--) {
        if (s.charAt(at + i) != segment.charAt(i)) {
          return false;
        }
      }
      return true;
    }
    for (int i = 0; i < segment.length(); i++) {
      if (mask[i]) {
        continue;
      }
      char a = s.charAt(at + i);
      char b = segment.charAt(i);
      if (a != b && !(ignoreCase && s.regionMatches(true, at + i, segment, i, 1))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    if (never) {
      return "<never>";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        out.append('*');
      }
      for (int c = 0; c < segments[i].length(); c++) {
        boolean any = singleCharMasks[i] != null && singleCharMasks[i][c];
        out.append(any ? '?' : segments[i].charAt(c));
      }
    }
    return out.toString();
  }
}
