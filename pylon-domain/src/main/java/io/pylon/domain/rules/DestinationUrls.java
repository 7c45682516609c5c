package io.pylon.domain.rules;

import io.pylon.domain.error.InvalidRequestException;
import java.util.Locale;

/**
 * What URLs HTTP actions and destinations may name. AWS accepts only {@code https}; Pylon also
 * accepts plain {@code http} to a loopback host ({@code localhost}, {@code 127.x.x.x}, {@code
 * [::1]}), a deliberate extension for local work and tests, in line with its loopback-only plain
 * MQTT listener.
 */
final class DestinationUrls {

  static final int MAX_LENGTH = 2000;

  private DestinationUrls() {}

  static boolean hasTemplate(String url) {
    return url.contains("${");
  }

  /** Refuses a URL that is empty, too long, or neither https nor http to a loopback host. */
  static void check(String url, String where) {
    if (url.length() > MAX_LENGTH) {
      throw new InvalidRequestException(where + " must be at most " + MAX_LENGTH + " characters");
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") && url.length() > "https://".length()) {
      return;
    }
    if (lower.startsWith("http://") && isLoopback(host(url.substring("http://".length())))) {
      return;
    }
    throw new InvalidRequestException(
        where
            + " must be an https URL (plain http is accepted for loopback hosts only), was '"
            + url
            + "'");
  }

  private static String host(String afterScheme) {
    int end = afterScheme.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = afterScheme.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    String authority = afterScheme.substring(0, end);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      return close < 0 ? authority : authority.substring(0, close + 1);
    }
    int colon = authority.indexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("[::1]") || h.matches("127(\\.[0-9]{1,3}){3}");
  }
}
