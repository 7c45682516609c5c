package io.pylon.domain.rules.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict JSON (RFC 8259) from UTF-8 bytes into SQL values (see {@link Values}). Written for the
 * per-message path: one pass, no intermediate tokens, ASCII strings copied without decoding.
 * Anything that is not a single JSON text yields {@code null}: the payload is then binary.
 */
final class JsonReader {

  private static final int MAX_DEPTH = 256;
  private static final long[] POWERS_OF_TEN = new long[19];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  private final byte[] in;
  private final int end;
  private final boolean wholeAsInt;
  private int pos;
  private int depth;

  private JsonReader(byte[] in, int offset, int end, boolean wholeAsInt) {
    this.in = in;
    this.pos = offset;
    this.end = end;
    this.wholeAsInt = wholeAsInt;
  }

  /**
   * The value of a JSON text, or {@code null} if the bytes are not JSON. With {@code wholeAsInt}
   * (2016-03-23), numbers such as {@code 10.0} become Int.
   */
  static Object parse(byte[] bytes, boolean wholeAsInt) {
    JsonReader r = new JsonReader(bytes, 0, bytes.length, wholeAsInt);
    try {
      r.skipWhitespace();
      Object v = r.value();
      r.skipWhitespace();
      return r.pos == r.end ? v : null;
    } catch (NotJson e) {
      return null;
    }
  }

  static Object parse(String text, boolean wholeAsInt) {
    return parse(text.getBytes(StandardCharsets.UTF_8), wholeAsInt);
  }

  private static final class NotJson extends RuntimeException {
    NotJson() {
      super(null, null, false, false);
    }
  }

  private static final NotJson NOT_JSON = new NotJson();

  private void skipWhitespace() {
    while (pos < end) {
      byte b = in[pos];
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        pos++;
      } else {
        return;
      }
    }
  }

  private Object value() {
    if (pos >= end) {
      throw NOT_JSON;
    }
    byte b = in[pos];
    switch (b) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return Values.NULL;
      default:
        if (b == '-' || (b >= '0' && b <= '9')) {
          return number();
        }
        throw NOT_JSON;
    }
  }

  private void literal(String word) {
    int n = word.length();
    if (pos + n > end) {
      throw NOT_JSON;
    }
    for (int i = 0; i < n; i++) {
      if (in[pos + i] != word.charAt(i)) {
        throw NOT_JSON;
      }
    }
    pos += n;
  }

  private JsonObject object() {
    if (++depth > MAX_DEPTH) {
      throw NOT_JSON;
    }
    pos++;
    JsonObject map = new JsonObject();
    skipWhitespace();
    if (pos < end && in[pos] == '}') {
      pos++;
      depth--;
      return map;
    }
    while (true) {
      if (pos >= end || in[pos] != '"') {
        throw NOT_JSON;
      }
      String key = string();
      skipWhitespace();
      if (pos >= end || in[pos] != ':') {
        throw NOT_JSON;
      }
      pos++;
      skipWhitespace();
      map.put(key, value());
      skipWhitespace();
      if (pos >= end) {
        throw NOT_JSON;
      }
      byte b = in[pos++];
      if (b == '}') {
        depth--;
        return map;
      }
      if (b != ',') {
        throw NOT_JSON;
      }
      skipWhitespace();
    }
  }

  private List<Object> array() {
    if (++depth > MAX_DEPTH) {
      throw NOT_JSON;
    }
    pos++;
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (pos < end && in[pos] == ']') {
      pos++;
      depth--;
      return list;
    }
    while (true) {
      list.add(value());
      skipWhitespace();
      if (pos >= end) {
        throw NOT_JSON;
      }
      byte b = in[pos++];
      if (b == ']') {
        depth--;
        return list;
      }
      if (b != ',') {
        throw NOT_JSON;
      }
      skipWhitespace();
    }
  }

  private String string() {
    int start = ++pos;
    int hash = 0;
    while (pos < end) {
      byte b = in[pos];
      if (b == '"') {
        String s = cached(start, pos - start, hash);
        pos++;
        return s;
      }
      hash = 31 * hash + b;
      if (b == '\\' || b < 0x20) {
        // negative bytes (UTF-8 multi-byte) also land here
        return slowString(start);
      }
      pos++;
    }
    throw NOT_JSON;
  }

  /**
   * Short ASCII strings (keys, enum-like values) come from a small shared cache: the same keys
   * arrive in every message of a device fleet, and a cached String also has its hash code computed
   * already, which the map building and every field lookup need. Races only cost a cache miss.
   */
  private static final String[] STRING_CACHE = new String[4096];

  private String cached(int start, int length, int hash) {
    if (length > 32) {
      return new String(in, start, length, StandardCharsets.ISO_8859_1);
    }
    int slot = (hash ^ (hash >>> 12)) & (STRING_CACHE.length - 1);
    String s = STRING_CACHE[slot];
    if (s != null && s.length() == length) {
      boolean same = true;
      for (int i = 0; i < length; i++) {
        if (s.charAt(i) != in[start + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        return s;
      }
    }
    s = new String(in, start, length, StandardCharsets.ISO_8859_1);
    STRING_CACHE[slot] = s;
    return s;
  }

  private String slowString(int start) {
    StringBuilder sb = new StringBuilder(pos - start + 16);
    int run = start;
    while (pos < end) {
      byte b = in[pos];
      if (b == '"') {
        appendUtf8(sb, run, pos);
        pos++;
        return sb.toString();
      }
      if (b >= 0 && b < 0x20) {
        throw NOT_JSON;
      }
      if (b != '\\') {
        pos++;
        continue;
      }
      appendUtf8(sb, run, pos);
      if (pos + 1 >= end) {
        throw NOT_JSON;
      }
      byte e = in[pos + 1];
      pos += 2;
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > end) {
            throw NOT_JSON;
          }
          int c = 0;
          for (int i = 0; i < 4; i++) {
            int h = Character.digit(in[pos + i], 16);
            if (h < 0) {
              throw NOT_JSON;
            }
            c = (c << 4) | h;
          }
          pos += 4;
          sb.append((char) c);
        }
        default -> throw NOT_JSON;
      }
      run = pos;
    }
    throw NOT_JSON;
  }

  private void appendUtf8(StringBuilder sb, int from, int to) {
    if (to > from) {
      sb.append(new String(in, from, to - from, StandardCharsets.UTF_8));
    }
  }

  /**
   * A number too long for the fast paths, kept to 34 significant digits (AWS's precision) and built
   * in linear time: parsing thousands of digits exactly would cost quadratic time per message.
   */
  private BigDecimal longNumber(int start, int stop) {
    int i = start;
    boolean negative = in[i] == '-';
    if (negative) {
      i++;
    }
    StringBuilder digits = new StringBuilder(Values.MAX_INT_DIGITS);
    long exponent = 0;
    boolean afterDot = false;
    for (; i < stop; i++) {
      byte b = in[i];
      if (b == '.') {
        afterDot = true;
      } else if (b == 'e' || b == 'E') {
        try {
          String e = new String(in, i + 1, stop - i - 1, StandardCharsets.US_ASCII);
          exponent =
              Math.addExact(exponent, Long.parseLong(e.startsWith("+") ? e.substring(1) : e));
        } catch (NumberFormatException | ArithmeticException tooLarge) {
          throw NOT_JSON;
        }
        break;
      } else if (digits.length() == 0 && b == '0') {
        exponent -= afterDot ? 1 : 0;
      } else if (digits.length() < Values.MAX_INT_DIGITS) {
        digits.append((char) b);
        exponent -= afterDot ? 1 : 0;
      } else if (!afterDot) {
        exponent++;
      }
    }
    if (digits.length() == 0) {
      return BigDecimal.ZERO;
    }
    if (exponent > Integer.MAX_VALUE || exponent < -Integer.MAX_VALUE) {
      throw NOT_JSON;
    }
    BigDecimal d = new BigDecimal(new BigInteger(digits.toString()), (int) -exponent);
    return negative ? d.negate() : d;
  }

  private Object number() {
    int start = pos;
    boolean negative = in[pos] == '-';
    if (negative) {
      pos++;
    }
    int intStart = pos;
    if (pos < end && in[pos] == '0') {
      pos++;
    } else {
      while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
        pos++;
      }
    }
    int intDigits = pos - intStart;
    if (intDigits == 0) {
      throw NOT_JSON;
    }
    boolean decimal = false;
    int fracDigits = 0;
    if (pos < end && in[pos] == '.') {
      decimal = true;
      pos++;
      int frac = pos;
      while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
        pos++;
      }
      fracDigits = pos - frac;
      if (fracDigits == 0) {
        throw NOT_JSON;
      }
    }
    boolean exponent = false;
    if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
      decimal = true;
      exponent = true;
      pos++;
      if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
        pos++;
      }
      int exp = pos;
      while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
        pos++;
      }
      if (pos == exp) {
        throw NOT_JSON;
      }
    }
    if (pos - start > 60) {
      return Values.decimalOf(longNumber(start, pos), wholeAsInt);
    }
    if (!decimal) {
      if (intDigits <= 18) {
        long v = 0;
        for (int i = intStart; i < pos; i++) {
          v = v * 10 + (in[i] - '0');
        }
        return negative ? -v : v;
      }
      return Values.intOf(
          new BigInteger(new String(in, start, pos - start, StandardCharsets.US_ASCII)));
    }
    if (!exponent && intDigits + fracDigits <= 18) {
      // Plain decimals such as 21.5 without going through text: unscaled value and scale.
      long unscaled = 0;
      for (int i = intStart; i < pos; i++) {
        byte b = in[i];
        if (b != '.') {
          unscaled = unscaled * 10 + (b - '0');
        }
      }
      if (negative) {
        unscaled = -unscaled;
      }
      if (wholeAsInt && unscaled % POWERS_OF_TEN[fracDigits] == 0) {
        return unscaled / POWERS_OF_TEN[fracDigits];
      }
      return BigDecimal.valueOf(unscaled, fracDigits);
    }
    try {
      BigDecimal d = new BigDecimal(new String(in, start, pos - start, StandardCharsets.US_ASCII));
      return Values.decimalOf(d, wholeAsInt);
    } catch (NumberFormatException e) {
      throw NOT_JSON;
    }
  }
}
