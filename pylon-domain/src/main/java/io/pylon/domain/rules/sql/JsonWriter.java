package io.pylon.domain.rules.sql;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Compact JSON output of SQL values straight into UTF-8 bytes. Undefined members and elements are
 * left out, as AWS does when it serialises a result.
 */
final class JsonWriter {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private byte[] buf;
  private int len;

  JsonWriter(int capacity) {
    buf = new byte[capacity];
  }

  byte[] toBytes() {
    return Arrays.copyOf(buf, len);
  }

  String toText() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  void raw(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
  }

  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  /** Writes {@code ,"key":} or {@code "key":} depending on whether a member came before. */
  void key(String key, boolean first) {
    if (!first) {
      raw((byte) ',');
    }
    string(key);
    raw((byte) ':');
  }

  /** Writes a value; the caller has made sure it is not Undefined. */
  void value(Object v) {
    if (v instanceof String s) {
      string(s);
    } else if (v instanceof Long l) {
      longValue(l);
    } else if (v instanceof JsonObject o) {
      raw((byte) '{');
      boolean first = true;
      for (int i = 0, n = o.size(); i < n; i++) {
        Object member = o.valueAt(i);
        if (member == Values.UNDEFINED || member instanceof Values.Raw) {
          continue;
        }
        key(o.keyAt(i), first);
        first = false;
        value(member);
      }
      raw((byte) '}');
    } else if (v instanceof Map<?, ?> m) {
      raw((byte) '{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object member = e.getValue();
        if (member == Values.UNDEFINED || member instanceof Values.Raw) {
          continue;
        }
        key((String) e.getKey(), first);
        first = false;
        value(member);
      }
      raw((byte) '}');
    } else if (v instanceof List<?> list) {
      raw((byte) '[');
      boolean first = true;
      for (Object element : list) {
        if (element == Values.UNDEFINED || element instanceof Values.Raw) {
          continue;
        }
        if (!first) {
          raw((byte) ',');
        }
        first = false;
        value(element);
      }
      raw((byte) ']');
    } else if (v instanceof Boolean b) {
      raw(b ? TRUE : FALSE);
    } else if (v instanceof BigDecimal d) {
      ascii(d.toString());
    } else if (v == Values.NULL) {
      raw(NULL);
    } else {
      // BigInteger
      ascii(v.toString());
    }
  }

  private void longValue(long l) {
    if (l >= 0 && l < 10) {
      raw((byte) ('0' + l));
    } else {
      ascii(Long.toString(l));
    }
  }

  void string(String s) {
    int n = s.length();
    ensure(n + 2);
    buf[len++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        if (len == buf.length) {
          ensure(1 + n - i);
        }
        buf[len++] = (byte) c;
      } else {
        escaped(s, i, c);
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        }
      }
    }
    raw((byte) '"');
  }

  private void escaped(String s, int i, char c) {
    ensure(12);
    switch (c) {
      case '"' -> {
        buf[len++] = '\\';
        buf[len++] = '"';
      }
      case '\\' -> {
        buf[len++] = '\\';
        buf[len++] = '\\';
      }
      case '\n' -> {
        buf[len++] = '\\';
        buf[len++] = 'n';
      }
      case '\r' -> {
        buf[len++] = '\\';
        buf[len++] = 'r';
      }
      case '\t' -> {
        buf[len++] = '\\';
        buf[len++] = 't';
      }
      case '\b' -> {
        buf[len++] = '\\';
        buf[len++] = 'b';
      }
      case '\f' -> {
        buf[len++] = '\\';
        buf[len++] = 'f';
      }
      default -> {
        if (c < 0x20) {
          buf[len++] = '\\';
          buf[len++] = 'u';
          buf[len++] = '0';
          buf[len++] = '0';
          buf[len++] = HEX[c >> 4];
          buf[len++] = HEX[c & 0xF];
        } else if (c < 0x800) {
          buf[len++] = (byte) (0xC0 | (c >> 6));
          buf[len++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(i + 1));
          buf[len++] = (byte) (0xF0 | (cp >> 18));
          buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          buf[len++] = (byte) (0x80 | (cp & 0x3F));
        } else if (Character.isSurrogate(c)) {
          // A lone surrogate cannot be UTF-8; JSON's escape keeps it representable.
          buf[len++] = '\\';
          buf[len++] = 'u';
          buf[len++] = HEX[c >> 12];
          buf[len++] = HEX[(c >> 8) & 0xF];
          buf[len++] = HEX[(c >> 4) & 0xF];
          buf[len++] = HEX[c & 0xF];
        } else {
          buf[len++] = (byte) (0xE0 | (c >> 12));
          buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          buf[len++] = (byte) (0x80 | (c & 0x3F));
        }
      }
    }
  }
}
