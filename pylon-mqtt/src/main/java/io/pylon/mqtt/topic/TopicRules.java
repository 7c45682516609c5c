package io.pylon.mqtt.topic;

/**
 * Validation of topic names and filters against the MQTT specification and a listener's limits.
 *
 * <p>Limits are counted as AWS IoT counts them: the {@code $aws/rules/{rule}/} Basic Ingest prefix
 * and the {@code $share/{group}/} prefix do not count towards the length and level limits. Each
 * method answers with a {@link Verdict} instead of throwing, because invalid input from clients is
 * routine and must not cost a stack trace.
 */
public final class TopicRules {

  /** Why a topic or filter was refused, or {@link #OK}. */
  public enum Verdict {
    OK,
    /** Empty, contains U+0000, or wildcards where they are not allowed. */
    MALFORMED,
    TOO_LONG,
    TOO_MANY_LEVELS,
    /** A {@code $} topic the listener's profile does not allow. */
    RESERVED
  }

  private static final String BASIC_INGEST_PREFIX = "$aws/rules/";
  private static final String SHARE_PREFIX = "$share/";

  private final int maxLength;
  private final int maxLevels;
  private final boolean allowOtherDollarTopics;

  public TopicRules(int maxLength, int maxLevels, boolean allowOtherDollarTopics) {
    this.maxLength = maxLength;
    this.maxLevels = maxLevels;
    this.allowOtherDollarTopics = allowOtherDollarTopics;
  }

  /** Checks a topic name of a PUBLISH or will message. */
  public Verdict checkTopicName(String topic) {
    int length = topic.length();
    if (length == 0) {
      return Verdict.MALFORMED;
    }
    int start = countedStart(topic);
    int levels = 1;
    for (int i = 0; i < length; i++) {
      char c = topic.charAt(i);
      if (c == '+' || c == '#' || c == 0 || c == '\uFFFD') {
        // U+FFFD stands in for bytes that were not valid UTF-8 when the codec decoded the string.
        return Verdict.MALFORMED;
      }
      if (c == '/' && i >= start) {
        levels++;
      }
    }
    return checkLimits(topic, start, levels);
  }

  /** Parses and checks a SUBSCRIBE or UNSUBSCRIBE topic filter; null when it is invalid. */
  public TopicFilter parseFilter(String raw) {
    return checkFilter(raw) == Verdict.OK ? toFilter(raw) : null;
  }

  /** Checks a topic filter, including the {@code $share/{group}/} form. */
  public Verdict checkFilter(String raw) {
    String filter = raw;
    if (raw.startsWith(SHARE_PREFIX)) {
      int slash = raw.indexOf('/', SHARE_PREFIX.length());
      if (slash <= SHARE_PREFIX.length() || slash == raw.length() - 1) {
        return Verdict.MALFORMED;
      }
      String group = raw.substring(SHARE_PREFIX.length(), slash);
      if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
        return Verdict.MALFORMED;
      }
      filter = raw.substring(slash + 1);
    }
    int length = filter.length();
    if (length == 0) {
      return Verdict.MALFORMED;
    }
    int start = countedStart(filter);
    int levels = 1;
    for (int i = 0; i < length; i++) {
      char c = filter.charAt(i);
      if (c == 0 || c == '\uFFFD') {
        return Verdict.MALFORMED;
      }
      if (c == '/') {
        if (i >= start) {
          levels++;
        }
      } else if (c == '+') {
        boolean alone =
            (i == 0 || filter.charAt(i - 1) == '/')
                && (i == length - 1 || filter.charAt(i + 1) == '/');
        if (!alone) {
          return Verdict.MALFORMED;
        }
      } else if (c == '#') {
        boolean last = i == length - 1 && (i == 0 || filter.charAt(i - 1) == '/');
        if (!last) {
          return Verdict.MALFORMED;
        }
      }
    }
    return checkLimits(filter, start, levels);
  }

  private Verdict checkLimits(String topic, int countedStart, int levels) {
    if (topic.charAt(0) == '$' && !allowOtherDollarTopics && !topic.startsWith("$aws/")) {
      return Verdict.RESERVED;
    }
    if (utf8Length(topic, countedStart) > maxLength) {
      return Verdict.TOO_LONG;
    }
    if (levels > maxLevels) {
      return Verdict.TOO_MANY_LEVELS;
    }
    return Verdict.OK;
  }

  /** Where counting starts: after {@code $aws/rules/{rule}/}, else 0. */
  private static int countedStart(String topic) {
    if (!topic.startsWith(BASIC_INGEST_PREFIX)) {
      return 0;
    }
    int slash = topic.indexOf('/', BASIC_INGEST_PREFIX.length());
    return slash < 0 ? 0 : slash + 1;
  }

  private static TopicFilter toFilter(String raw) {
    if (raw.startsWith(SHARE_PREFIX)) {
      int slash = raw.indexOf('/', SHARE_PREFIX.length());
      return new TopicFilter(
          raw, raw.substring(slash + 1), raw.substring(SHARE_PREFIX.length(), slash));
    }
    return new TopicFilter(raw, raw, null);
  }

  /** Length of a string in UTF-8 bytes, computed without encoding it. */
  public static int utf8Length(String s) {
    return utf8Length(s, 0);
  }

  static int utf8Length(String s, int from) {
    int bytes = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Whether a filter (without share prefix) matches a topic name; for retained lookups. */
  public static boolean matches(String filter, String topic) {
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    int f = 0;
    int t = 0;
    int fl = filter.length();
    int tl = topic.length();
    while (f < fl) {
      char c = filter.charAt(f);
      if (c == '#') {
        return true;
      }
      if (c == '+') {
        while (t < tl && topic.charAt(t) != '/') {
          t++;
        }
        f++;
      } else {
        int fEnd = filter.indexOf('/', f);
        if (fEnd < 0) {
          fEnd = fl;
        }
        int tEnd = topic.indexOf('/', t);
        if (tEnd < 0) {
          tEnd = tl;
        }
        if (t > tl || fEnd - f != tEnd - t || !filter.regionMatches(f, topic, t, fEnd - f)) {
          return false;
        }
        f = fEnd;
        t = tEnd;
      }
      if (f < fl) {
        // filter has '/', topic must have one too
        if (t >= tl) {
          // "a/#" matches "a": the '#' also matches the parent level
          return f + 2 == fl && filter.charAt(f + 1) == '#';
        }
        f++;
        t++;
      } else if (t < tl) {
        return false;
      }
    }
    return t >= tl;
  }
}
