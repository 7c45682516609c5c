package io.pylon.domain.rules.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The AWS IoT SQL type model over plain Java objects, so payload values need no wrapping: Int is a
 * {@link Long} (a {@link BigInteger} beyond 64 bits), Decimal a {@link BigDecimal}, Boolean a
 * {@link Boolean}, String a {@link String}, Array a {@link List}, Object a {@link Map} (insertion
 * ordered), and Null and Undefined the two markers below. Conversions follow the developer guide's
 * tables; a conversion that fails yields {@code null} here, which callers turn into Undefined.
 */
final class Values {

  /** A missing key, a failed conversion, a function given the wrong types. */
  static final Object UNDEFINED = new Marker("Undefined");

  /** JSON null. */
  static final Object NULL = new Marker("Null");

  /** AWS keeps 34 significant digits in Decimal arithmetic. */
  static final MathContext DECIMAL = MathContext.DECIMAL128;

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private Values() {}

  private record Marker(String name) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A non-JSON payload seen through {@code *}: only {@code encode} and the output use it. */
  record Raw(byte[] bytes) {}

  static boolean isUndefined(Object v) {
    return v == UNDEFINED;
  }

  static boolean isInt(Object v) {
    return v instanceof Long || v instanceof BigInteger;
  }

  static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof BigDecimal || v instanceof BigInteger;
  }

  /** An Int from a BigInteger, as a Long when it fits. */
  static Object intOf(BigInteger b) {
    return b.bitLength() < 64 ? (Object) b.longValue() : b;
  }

  /**
   * A Decimal result as the version sees it: 2016-03-23 treats whole numbers ({@code 10.0}) as Int.
   */
  static Object decimalOf(BigDecimal d, boolean wholeAsInt) {
    if (wholeAsInt && isWhole(d) && integerDigits(d) <= MAX_INT_DIGITS) {
      return intOf(d.toBigInteger());
    }
    return d;
  }

  /** A double-precision result; NaN and infinities (imaginary or overflowing) are Undefined. */
  static Object doubleOf(double d, boolean wholeAsInt) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return UNDEFINED;
    }
    return decimalOf(BigDecimal.valueOf(d), wholeAsInt);
  }

  /** AWS's Int has at most 34 digits; larger whole values stay Decimal (and never expand). */
  static final int MAX_INT_DIGITS = 34;

  /** Digits before the decimal point, computed without expanding the number. */
  static long integerDigits(BigDecimal d) {
    return (long) d.precision() - d.scale();
  }

  static boolean isWhole(BigDecimal d) {
    return d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
  }

  static BigDecimal bigDecimal(Object number) {
    if (number instanceof Long l) {
      return BigDecimal.valueOf(l);
    }
    if (number instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    return (BigDecimal) number;
  }

  static BigInteger bigInteger(Object intValue) {
    return intValue instanceof Long l ? BigInteger.valueOf(l) : (BigInteger) intValue;
  }

  /**
   * To Decimal, as the implicit conversion does: numbers as they are, strings matching {@code
   * ^-?\d+(\.\d+)?((?i)E-?\d+)?$} parsed; anything else {@code null}. The result is an Int or a
   * Decimal object (Ints stay Ints so integer arithmetic can keep its fast path).
   */
  static Object toNumber(Object v) {
    if (v instanceof Long || v instanceof BigDecimal || v instanceof BigInteger) {
      return v;
    }
    if (v instanceof String s) {
      return parseDecimalString(s);
    }
    return null;
  }

  /** The conversion of a string to Decimal, or {@code null} if it does not match AWS's pattern. */
  static BigDecimal parseDecimalString(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && s.charAt(i) == '-') {
      i++;
    }
    int digits = i;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    if (i == digits) {
      return null;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      int frac = i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == frac) {
        return null;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && s.charAt(i) == '-') {
        i++;
      }
      int exp = i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == exp) {
        return null;
      }
    }
    if (i != n) {
      return null;
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * To Int for function arguments: Decimals (and numeric strings) rounded toward zero, clamped to
   * the 64-bit range (every argument that needs an Int is an index, a count or a bit pattern).
   * {@code null} when not convertible.
   */
  static Long toLong(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    Object n = toNumber(v);
    if (n == null) {
      return null;
    }
    if (n instanceof Long l) {
      return l;
    }
    if (n instanceof BigDecimal d && integerDigits(d) > 19) {
      return d.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    BigInteger b = n instanceof BigInteger bi ? bi : ((BigDecimal) n).toBigInteger();
    if (b.compareTo(LONG_MIN) < 0) {
      return Long.MIN_VALUE;
    }
    if (b.compareTo(LONG_MAX) > 0) {
      return Long.MAX_VALUE;
    }
    return b.longValue();
  }

  /** Int conversion keeping big values exact (for cast and the bit functions' BigInteger path). */
  static Object toIntValue(Object v) {
    Object n = toNumber(v);
    if (n == null) {
      return null;
    }
    if (n instanceof BigDecimal d) {
      if (integerDigits(d) > MAX_INT_DIGITS) {
        return null;
      }
      return intOf(d.setScale(0, RoundingMode.DOWN).toBigInteger());
    }
    return n;
  }

  /** To Boolean: Booleans, and the strings "true"/"false" in any case; else {@code null}. */
  static Boolean toBoolean(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      if (s.equalsIgnoreCase("true")) {
        return Boolean.TRUE;
      }
      if (s.equalsIgnoreCase("false")) {
        return Boolean.FALSE;
      }
    }
    return null;
  }

  /**
   * To String: numbers in their text form, Booleans lower case, Arrays and Objects as JSON; Null
   * and Undefined (and raw payloads) give {@code null}.
   */
  static String toText(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Long || v instanceof BigInteger || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof BigDecimal d) {
      return d.toString();
    }
    if (v instanceof List || v instanceof Map) {
      JsonWriter w = new JsonWriter(64);
      w.value(v);
      return w.toText();
    }
    return null;
  }

  /** {@code =}: Boolean, or Undefined when either side is Undefined. Mismatched types are false. */
  static Object sqlEquals(Object a, Object b) {
    if (a == UNDEFINED || b == UNDEFINED) {
      return UNDEFINED;
    }
    return same(a, b);
  }

  /** Deep equality with numbers compared by value (Int 1 equals Decimal 1.0). */
  static boolean same(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return x.longValue() == y.longValue();
    }
    if (isNumber(a) && isNumber(b)) {
      return bigDecimal(a).compareTo(bigDecimal(b)) == 0;
    }
    if (a instanceof String || a instanceof Boolean || a == NULL) {
      return a.equals(b);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext()) {
        if (!same(i.next(), j.next())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        Object other = y.get(e.getKey());
        if (other == null || !same(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Ordering for {@code < <= > >=}: both sides converted to Decimal; {@code null} (Undefined) when
   * either does not convert. Returns the sign of the comparison as an Integer.
   */
  static int compareOrFail(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    Object x = toNumber(a);
    Object y = toNumber(b);
    if (x == null || y == null) {
      return Integer.MIN_VALUE;
    }
    if (x instanceof Long p && y instanceof Long q) {
      return Long.compare(p, q);
    }
    return Integer.signum(bigDecimal(x).compareTo(bigDecimal(y)));
  }

  /** The AWS type name, for messages. */
  static String typeName(Object v) {
    if (v == UNDEFINED) {
      return "Undefined";
    }
    if (v == NULL) {
      return "Null";
    }
    if (isInt(v)) {
      return "Int";
    }
    if (v instanceof BigDecimal) {
      return "Decimal";
    }
    if (v instanceof Boolean) {
      return "Boolean";
    }
    if (v instanceof String) {
      return "String";
    }
    if (v instanceof List) {
      return "Array";
    }
    if (v instanceof Map) {
      return "Object";
    }
    return "Binary";
  }
}
