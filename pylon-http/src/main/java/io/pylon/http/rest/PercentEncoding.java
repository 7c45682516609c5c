package io.pylon.http.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of path segments and query components as AWS clients encode them (RFC 3986,
 * UTF-8). A {@code +} stays a plus: SDKs encode spaces as {@code %20}, and SigV4 treats {@code +}
 * literally too. A {@code %} not followed by two hex digits is kept as it is.
 */
final class PercentEncoding {

  private PercentEncoding() {}

  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '%'
          && i + 2 < s.length()
          && hex(s.charAt(i + 1)) >= 0
          && hex(s.charAt(i + 2)) >= 0) {
        out.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
        i += 3;
      } else {
        // Code points outside ASCII are not valid in a request line, but keep them intact.
        int cp = s.codePointAt(i);
        byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        i += Character.charCount(cp);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
