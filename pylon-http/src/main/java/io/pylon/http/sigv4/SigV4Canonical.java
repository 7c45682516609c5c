package io.pylon.http.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pieces of AWS Signature Version 4 shared by {@link SigV4Signer} and {@link SigV4Verifier}.
 *
 * <p>Rules follow "Create a signed AWS API request",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html, cross-checked
 * against what botocore and the AWS Common Runtime actually emit (see the known-answer vectors in
 * the tests).
 */
final class SigV4Canonical {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String TERMINATOR = "aws4_request";
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("the JDK must provide SHA-256", e);
            }
          });

  private static final ThreadLocal<Mac> HMAC =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("the JDK must provide HmacSHA256", e);
            }
          });

  private SigV4Canonical() {}

  /** One query parameter exactly as it appeared on the wire, still encoded. */
  record Param(String rawKey, String rawValue) {}

  // ---------------------------------------------------------------- canonical URI

  /**
   * Canonical URI for every service except S3: remove {@code .}, {@code ..} and empty segments,
   * then URI-encode the already-encoded path once more, keeping {@code /}. So a label sent as
   * {@code my%3Athing} is signed as {@code my%253Athing}. Source: "Each path segment must be
   * URI-encoded twice (except for Amazon S3 which only gets URI-encoded once)" and "Normalize URI
   * paths according to RFC 3986",
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request.
   * Collapsing empty segments ({@code //}) is what botocore ({@code remove_dot_segments}), the JS
   * SDK v3 and aws-c-auth all do; AWS services expect it.
   */
  static String canonicalUri(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (!segments.isEmpty()) {
          segments.remove(segments.size() - 1);
        }
      } else {
        segments.add(segment);
      }
    }
    StringBuilder path = new StringBuilder("/").append(String.join("/", segments));
    if (!segments.isEmpty() && rawPath.endsWith("/")) {
      path.append('/');
    }
    return uriEncode(path.toString(), true);
  }

  // ---------------------------------------------------------------- query

  static List<Param> parseQuery(String rawQuery) {
    List<Param> params = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      params.add(
          eq < 0 ? new Param(pair, "") : new Param(pair.substring(0, eq), pair.substring(eq + 1)));
    }
    return params;
  }

  /**
   * The canonical query string as AWS computes it: each name and value decoded and re-encoded with
   * RFC 3986 unreserved characters only, sorted by encoded name, then by encoded value (repeated
   * keys keep all values). Decoding first makes the result independent of how the client chose to
   * encode (aws-c-auth does the same: "we decode and then re-encode the params").
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
   */
  static String canonicalQuery(List<Param> params) {
    List<String[]> encoded = new ArrayList<>(params.size());
    for (Param p : params) {
      encoded.add(
          new String[] {
            uriEncode(percentDecode(p.rawKey()), false),
            uriEncode(percentDecode(p.rawValue()), false)
          });
    }
    return joinSorted(encoded);
  }

  /**
   * The query string sorted but not re-encoded: what botocore signs when the parameters come in the
   * URL rather than as a dict ({@code SigV4Auth._canonical_query_string_url}). For every properly
   * encoded URL it equals {@link #canonicalQuery}; it only differs for hand-written URLs that leave
   * reserved characters unencoded.
   */
  static String rawSortedQuery(List<Param> params) {
    List<String[]> raw = new ArrayList<>(params.size());
    for (Param p : params) {
      raw.add(new String[] {p.rawKey(), p.rawValue()});
    }
    return joinSorted(raw);
  }

  private static String joinSorted(List<String[]> pairs) {
    pairs.sort(Comparator.<String[], String>comparing(kv -> kv[0]).thenComparing(kv -> kv[1]));
    StringBuilder sb = new StringBuilder();
    for (String[] kv : pairs) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(kv[0]).append('=').append(kv[1]);
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- headers

  /**
   * Canonical header block for the given (lower-case, sorted) signed names: values trimmed, runs of
   * whitespace collapsed to one space, repeated headers joined with {@code ,} in arrival order,
   * every line ending in {@code \n}.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
   */
  static String canonicalHeaders(SigV4Headers headers, List<String> signedHeaderNames) {
    StringBuilder sb = new StringBuilder();
    for (String name : signedHeaderNames) {
      sb.append(name).append(':');
      List<String> values = headers.all(name);
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(trimAll(values.get(i)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static String trimAll(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    boolean pendingSpace = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
        pendingSpace = sb.length() > 0;
      } else {
        if (pendingSpace) {
          sb.append(' ');
          pendingSpace = false;
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- request, string to sign, key

  static String canonicalRequest(
      String method,
      String canonicalUri,
      String canonicalQuery,
      String canonicalHeaders,
      String signedHeaders,
      String payloadHash) {
    return method
        + '\n'
        + canonicalUri
        + '\n'
        + canonicalQuery
        + '\n'
        + canonicalHeaders
        + '\n'
        + signedHeaders
        + '\n'
        + payloadHash;
  }

  static String credentialScope(String date, String region, String service) {
    return date + '/' + region + '/' + service + '/' + TERMINATOR;
  }

  /**
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-string-to-sign
   */
  static String stringToSign(String amzDate, String credentialScope, String canonicalRequest) {
    return ALGORITHM + '\n' + amzDate + '\n' + credentialScope + '\n' + sha256Hex(canonicalRequest);
  }

  /**
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key
   */
  static byte[] signingKey(String secretAccessKey, String date, String region, String service) {
    byte[] kDate = hmacSha256(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
    byte[] kRegion = hmacSha256(kDate, region);
    byte[] kService = hmacSha256(kRegion, service);
    return hmacSha256(kService, TERMINATOR);
  }

  static String signature(byte[] signingKey, String stringToSign) {
    return hex(hmacSha256(signingKey, stringToSign));
  }

  // ---------------------------------------------------------------- dates

  static String formatAmzDate(Instant instant) {
    return AMZ_DATE.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  /** Parses {@code yyyyMMdd'T'HHmmss'Z'}; null if the text is anything else. */
  static Instant parseAmzDate(String text) {
    if (text == null || text.length() != 16) {
      return null;
    }
    try {
      return LocalDateTime.parse(text, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Parses an HTTP {@code Date} header (RFC 1123 / RFC 2822; botocore writes the zone as {@code
   * -0000}); null if unparsable.
   */
  static Instant parseHttpDate(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    if (t.endsWith(" -0000")) {
      t = t.substring(0, t.length() - 6) + " +0000";
    } else if (t.endsWith(" UTC")) {
      t = t.substring(0, t.length() - 4) + " GMT";
    }
    try {
      return DateTimeFormatter.RFC_1123_DATE_TIME.parse(t, Instant::from);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- encoding and hashing

  /**
   * RFC 3986 encoding of the UTF-8 bytes of {@code s}: only {@code A-Za-z0-9-_.~} (and optionally
   * {@code /}) stay.
   */
  static String uriEncode(String s, boolean keepSlash) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (keepSlash && c == '/')) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xF]);
      }
    }
    return sb.toString();
  }

  /**
   * Decodes {@code %XX} escapes (as UTF-8). {@code +} stays a plus: SigV4 clients never use form
   * encoding, and treating it as a space would change what was signed. Malformed escapes are kept
   * literally.
   */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%'
          && i + 2 < s.length()
          && hexValue(s.charAt(i + 1)) >= 0
          && hexValue(s.charAt(i + 2)) >= 0) {
        out.write(hexValue(s.charAt(i + 1)) << 4 | hexValue(s.charAt(i + 2)));
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          bytes = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hexValue(char c) {
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

  static String sha256Hex(String s) {
    return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256Hex(byte[] bytes) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return hex(digest.digest(bytes));
  }

  static byte[] hmacSha256(byte[] key, String data) {
    Mac mac = HMAC.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 rejected its key", e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  static boolean isLowerHexSha256(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Compares in time independent of where the strings differ, so a signature cannot be guessed byte
   * by byte.
   */
  static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
