package io.pylon.domain.rules.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The built-in functions of AWS IoT SQL, resolved by name (case-insensitively) when a statement is
 * compiled. Each returns Undefined for arguments it cannot use, after the standard conversions; the
 * functions that would call other AWS services throw {@link RuleEvaluationException}, except {@code
 * get_thing_shadow}, which reads Pylon's own shadows.
 */
final class Functions {

  /** A function body: arguments already evaluated; {@code null} means Undefined. */
  @FunctionalInterface
  interface Impl {
    Object apply(EvalContext c, Object[] a);
  }

  record Spec(String name, int minArgs, int maxArgs, boolean since2016, Impl impl) {
    /** AWS's ★ functions: they call another service and may not appear in error actions. */
    boolean external() {
      return EXTERNAL.contains(name);
    }
  }

  private static final Set<String> EXTERNAL =
      Set.of(
          "aws_lambda",
          "get_dynamodb",
          "get_secret",
          "get_thing_shadow",
          "machinelearning_predict",
          "get_registry_data");

  private static final Map<String, Spec> BY_NAME = new HashMap<>();
  private static final Object U = Values.UNDEFINED;

  private Functions() {}

  /** Every function name as the guide spells it (for coverage checks). */
  static Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (Spec spec : BY_NAME.values()) {
      names.add(spec.name());
    }
    return names;
  }

  static Spec lookup(String lowerCaseName) {
    return BY_NAME.get(lowerCaseName);
  }

  private static void def(String name, int min, int max, boolean since2016, Impl impl) {
    BY_NAME.put(name.toLowerCase(Locale.ROOT), new Spec(name, min, max, since2016, impl));
  }

  private static void def(String name, int args, Impl impl) {
    def(name, args, args, false, impl);
  }

  private static void def2016(String name, int min, int max, Impl impl) {
    def(name, min, max, true, impl);
  }

  static {
    // ---- numbers
    def("abs", 1, (c, a) -> abs(c, a[0]));
    doubleFunction("acos", Math::acos);
    doubleFunction("asin", Math::asin);
    doubleFunction("atan", Math::atan);
    doubleFunction("cos", Math::cos);
    doubleFunction("cosh", Math::cosh);
    doubleFunction("sin", Math::sin);
    doubleFunction("sinh", Math::sinh);
    doubleFunction("tan", Math::tan);
    doubleFunction("tanh", Math::tanh);
    doubleFunction("exp", Math::exp);
    doubleFunction("ln", Math::log);
    doubleFunction("log", Math::log10);
    doubleFunction("sqrt", Math::sqrt);
    def(
        "atan2",
        2,
        (c, a) -> {
          Double y = toDouble(a[0]);
          Double x = toDouble(a[1]);
          return y == null || x == null ? U : c.dbl(Math.atan2(y, x));
        });
    def(
        "power",
        2,
        (c, a) -> {
          Double x = toDouble(a[0]);
          Double y = toDouble(a[1]);
          return x == null || y == null ? U : c.dbl(Math.pow(x, y));
        });
    def("ceil", 1, (c, a) -> rounded(a[0], RoundingMode.CEILING));
    def("floor", 1, (c, a) -> rounded(a[0], RoundingMode.FLOOR));
    def("round", 1, (c, a) -> rounded(a[0], RoundingMode.HALF_UP));
    def(
        "sign",
        1,
        (c, a) -> {
          Object n = Values.toNumber(a[0]);
          if (n == null) {
            return U;
          }
          return (long) (n instanceof Long l ? Long.signum(l) : Values.bigDecimal(n).signum());
        });
    def("mod", 2, (c, a) -> Expr.Arithmetic.apply(Expr.ArithOp.MOD, a[0], a[1], c.v2016));
    def("remainder", 2, (c, a) -> Expr.Arithmetic.apply(Expr.ArithOp.MOD, a[0], a[1], c.v2016));
    def("trunc", 2, Functions::trunc);
    def("nanvl", 2, (c, a) -> a[0] == U || a[0] == Values.NULL ? a[1] : a[0]);
    def("rand", 0, (c, a) -> BigDecimal.valueOf(ThreadLocalRandom.current().nextDouble()));
    def("bitand", 2, (c, a) -> bits(a[0], a[1], 0));
    def("bitor", 2, (c, a) -> bits(a[0], a[1], 1));
    def("bitxor", 2, (c, a) -> bits(a[0], a[1], 2));
    def(
        "bitnot",
        1,
        (c, a) -> {
          Object n = Values.toIntValue(a[0]);
          if (n == null) {
            return U;
          }
          return n instanceof Long l ? (Object) ~l : Values.intOf(((BigInteger) n).not());
        });

    // ---- strings
    def(
        "chr",
        1,
        (c, a) -> {
          Long n = Values.toLong(a[0]);
          return n == null || n < 0 || n > 127 ? U : String.valueOf((char) n.intValue());
        });
    def("concat", 0, Integer.MAX_VALUE, false, (c, a) -> concat(a));
    def(
        "endswith",
        2,
        (c, a) -> {
          String s = Values.toText(a[0]);
          String t = Values.toText(a[1]);
          return s == null || t == null ? U : (Object) s.endsWith(t);
        });
    def(
        "startswith",
        2,
        (c, a) -> {
          String s = Values.toText(a[0]);
          String t = Values.toText(a[1]);
          return s == null || t == null ? U : (Object) s.startsWith(t);
        });
    def2016(
        "indexof",
        2,
        2,
        (c, a) -> {
          String s = Values.toText(a[0]);
          String t = Values.toText(a[1]);
          return s == null || t == null ? U : (Object) (long) s.indexOf(t);
        });
    def2016(
        "length",
        1,
        1,
        (c, a) -> {
          String s = Values.toText(a[0]);
          return s == null ? U : (Object) (long) s.length();
        });
    def2016(
        "numbytes",
        1,
        1,
        (c, a) -> {
          String s = Values.toText(a[0]);
          return s == null ? U : (Object) (long) s.getBytes(StandardCharsets.UTF_8).length;
        });
    def("lower", 1, (c, a) -> text(a[0], s -> s.toLowerCase(Locale.ROOT)));
    def("upper", 1, (c, a) -> text(a[0], s -> s.toUpperCase(Locale.ROOT)));
    def("ltrim", 1, (c, a) -> text(a[0], s -> trim(s, true, false)));
    def("rtrim", 1, (c, a) -> text(a[0], s -> trim(s, false, true)));
    def("trim", 1, (c, a) -> text(a[0], s -> trim(s, true, true)));
    def("lpad", 2, (c, a) -> pad(a[0], a[1], true));
    def("rpad", 2, (c, a) -> pad(a[0], a[1], false));
    def(
        "replace",
        3,
        (c, a) -> {
          String s = Values.toText(a[0]);
          String find = Values.toText(a[1]);
          String with = Values.toText(a[2]);
          return s == null || find == null || with == null ? U : s.replace(find, with);
        });
    def("substring", 2, 3, false, Functions::substring);
    def(
        "regexp_matches",
        2,
        (c, a) -> {
          String s = Values.toText(a[0]);
          Pattern p = regex(a[1]);
          return s == null || p == null ? U : (Object) p.matcher(s).find();
        });
    def(
        "regexp_replace",
        3,
        (c, a) -> {
          String s = Values.toText(a[0]);
          Pattern p = regex(a[1]);
          String with = Values.toText(a[2]);
          if (s == null || p == null || with == null) {
            return U;
          }
          try {
            return p.matcher(s).replaceAll(with);
          } catch (IllegalArgumentException | IndexOutOfBoundsException badReplacement) {
            return U;
          }
        });
    def(
        "regexp_substr",
        2,
        (c, a) -> {
          String s = Values.toText(a[0]);
          Pattern p = regex(a[1]);
          if (s == null || p == null) {
            return U;
          }
          Matcher m = p.matcher(s);
          return m.find() ? m.group() : "";
        });
    for (String[] hash :
        new String[][] {
          {"md2", "MD2"},
          {"md5", "MD5"},
          {"sha1", "SHA-1"},
          {"sha224", "SHA-224"},
          {"sha256", "SHA-256"},
          {"sha384", "SHA-384"},
          {"sha512", "SHA-512"}
        }) {
      String algorithm = hash[1];
      def(hash[0], 1, (c, a) -> text(a[0], s -> digest(algorithm, s)));
    }
    def2016("encode", 2, 2, Functions::encode);
    def2016("decode", 2, 2, Functions::decode);

    // ---- collections and types
    def("get", 2, (c, a) -> get(a[0], a[1]));
    def("isNull", 1, (c, a) -> a[0] == Values.NULL);
    def2016("isUndefined", 1, 1, (c, a) -> a[0] == U);
    def2016("transform", 3, 3, (c, a) -> transform(a));

    // ---- the message and the rule
    def("accountid", 0, (c, a) -> c.env.accountId());
    def("clientid", 0, (c, a) -> c.message.clientId() == null ? "n/a" : c.message.clientId());
    def("principal", 0, (c, a) -> c.message.principal());
    def("sourceip", 0, (c, a) -> c.message.sourceIp());
    def("traceid", 0, (c, a) -> c.message.traceId());
    def("newuuid", 0, (c, a) -> UUID.randomUUID().toString());
    def("timestamp", 0, (c, a) -> c.env.nowMillis());
    def("sql_version", 0, (c, a) -> c.version.wireName());
    def("topic", 0, 1, false, Functions::topic);
    def2016("get_mqtt_property", 1, 1, Functions::mqttProperty);
    def2016("get_user_properties", 0, 1, Functions::userProperties);
    def2016("parse_time", 2, 3, Functions::parseTime);
    def2016("time_to_epoch", 2, 2, Functions::timeToEpoch);
    def2016("get_thing_shadow", 2, 3, Functions::thingShadow);

    // ---- calls to services Pylon does not have
    external("aws_lambda", 2, 2, true, "invokes an AWS Lambda function");
    external("get_dynamodb", 4, 6, true, "reads an Amazon DynamoDB table");
    external("get_secret", 3, 4, false, "reads AWS Secrets Manager");
    external("machinelearning_predict", 3, 3, false, "calls Amazon Machine Learning");
    external("get_registry_data", 1, 4, false, "reads the registry through an IAM role");
  }

  private static void doubleFunction(String name, DoubleUnaryOperator f) {
    def(
        name,
        1,
        (c, a) -> {
          Double d = toDouble(a[0]);
          return d == null ? U : c.dbl(f.applyAsDouble(d));
        });
  }

  private static void external(String name, int min, int max, boolean since2016, String what) {
    def(
        name,
        min,
        max,
        since2016,
        (c, a) -> {
          throw new RuleEvaluationException(
              "Function "
                  + name
                  + "() is not available in Pylon: it "
                  + what
                  + " (rule "
                  + c.env.ruleName()
                  + ")");
        });
  }

  // ---- helpers

  private static Double toDouble(Object v) {
    Object n = Values.toNumber(v);
    if (n == null) {
      return null;
    }
    return n instanceof Long l ? (double) l : Values.bigDecimal(n).doubleValue();
  }

  private static Object text(Object v, UnaryOperator<String> f) {
    String s = Values.toText(v);
    return s == null ? U : f.apply(s);
  }

  private static Object abs(EvalContext c, Object v) {
    if (v instanceof Long l) {
      return l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : (Object) Math.abs(l);
    }
    if (v instanceof BigInteger b) {
      return b.abs();
    }
    Object n = Values.toNumber(v);
    return n == null ? U : c.decimal(Values.bigDecimal(n).abs());
  }

  private static Object rounded(Object v, RoundingMode mode) {
    Object n = Values.toNumber(v);
    if (n == null) {
      return U;
    }
    if (Values.isInt(n)) {
      return n;
    }
    if (Values.integerDigits((BigDecimal) n) > Values.MAX_INT_DIGITS) {
      return U;
    }
    return Values.intOf(((BigDecimal) n).setScale(0, mode).toBigIntegerExact());
  }

  private static Object trunc(EvalContext c, Object[] a) {
    Object n = Values.toNumber(a[0]);
    Long digits = Values.toLong(a[1]);
    if (n == null || digits == null) {
      return U;
    }
    if (Values.isInt(n)) {
      return n;
    }
    int scale = (int) Math.max(0, Math.min(34, digits));
    BigDecimal d = (BigDecimal) n;
    BigDecimal r =
        (d.scale() > scale ? d.setScale(scale, RoundingMode.DOWN) : d).stripTrailingZeros();
    if (r.scale() < 0 && Values.integerDigits(r) <= Values.MAX_INT_DIGITS) {
      r = r.setScale(0);
    }
    return c.decimal(r);
  }

  private static Object bits(Object x, Object y, int op) {
    Object p = Values.toIntValue(x);
    Object q = Values.toIntValue(y);
    if (p == null || q == null) {
      return U;
    }
    if (p instanceof Long a && q instanceof Long b) {
      return op == 0 ? a & b : op == 1 ? a | b : a ^ b;
    }
    BigInteger a = Values.bigInteger(p);
    BigInteger b = Values.bigInteger(q);
    return Values.intOf(op == 0 ? a.and(b) : op == 1 ? a.or(b) : a.xor(b));
  }

  private static Object concat(Object[] a) {
    if (a.length == 0) {
      return U;
    }
    if (a.length == 1) {
      return a[0] instanceof List ? a[0] : text(a[0], s -> s);
    }
    boolean anyArray = false;
    boolean anyString = false;
    for (Object v : a) {
      anyArray |= v instanceof List;
      anyString |= v instanceof String;
    }
    if (anyArray) {
      List<Object> out = new ArrayList<>();
      for (Object v : a) {
        if (v instanceof List<?> l) {
          out.addAll(l);
        } else if (v != U) {
          out.add(v);
        }
      }
      return out;
    }
    if (!anyString) {
      return U;
    }
    StringBuilder sb = new StringBuilder();
    for (Object v : a) {
      String s = Values.toText(v);
      if (s == null) {
        return U;
      }
      sb.append(s);
    }
    return sb.toString();
  }

  private static String trim(String s, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    while (left && start < end && Character.isWhitespace(s.charAt(start))) {
      start++;
    }
    while (right && end > start && Character.isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static Object pad(Object value, Object count, boolean left) {
    String s = Values.toText(value);
    Long n = Values.toLong(count);
    if (s == null || n == null) {
      return U;
    }
    String spaces = " ".repeat((int) Math.max(0, Math.min(1000, n)));
    return left ? spaces + s : s + spaces;
  }

  private static Object substring(EvalContext c, Object[] a) {
    String s = Values.toText(a[0]);
    Long from = Values.toLong(a[1]);
    Long to = a.length > 2 ? Values.toLong(a[2]) : Long.valueOf(Long.MAX_VALUE);
    if (s == null || from == null || to == null) {
      return U;
    }
    int len = s.length();
    int start = (int) Math.max(0, Math.min(len, from));
    int end = (int) Math.max(0, Math.min(len, to));
    return start >= end ? "" : s.substring(start, end);
  }

  private static final Map<String, Pattern> REGEX_CACHE = new ConcurrentHashMap<>();

  /** Patterns are compiled once per distinct text (most are literals in the statement). */
  private static Pattern regex(Object v) {
    String text = Values.toText(v);
    if (text == null) {
      return null;
    }
    Pattern p = REGEX_CACHE.get(text);
    if (p == null) {
      try {
        p = Pattern.compile(text);
      } catch (PatternSyntaxException e) {
        return null;
      }
      if (REGEX_CACHE.size() > 1024) {
        REGEX_CACHE.clear();
      }
      REGEX_CACHE.put(text, p);
    }
    return p;
  }

  private static String digest(String algorithm, String s) {
    try {
      byte[] d = MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(d.length * 2);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without " + algorithm, e);
    }
  }

  private static Object encode(EvalContext c, Object[] a) {
    if (!"base64".equals(Values.toText(a[1]))) {
      return U;
    }
    byte[] bytes;
    if (a[0] instanceof Values.Raw raw) {
      bytes = raw.bytes();
    } else {
      String s = Values.toText(a[0]);
      if (s == null) {
        return U;
      }
      bytes = s.getBytes(StandardCharsets.UTF_8);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static Object decode(EvalContext c, Object[] a) {
    if (!"base64".equals(Values.toText(a[1]))) {
      return U;
    }
    String s = Values.toText(a[0]);
    if (s == null) {
      return U;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(s.trim());
    } catch (IllegalArgumentException notBase64) {
      return Values.NULL;
    }
    Object json = JsonReader.parse(bytes, c.v2016);
    return json != null ? json : new String(bytes, StandardCharsets.UTF_8);
  }

  private static Object get(Object collection, Object key) {
    if (collection instanceof List<?> list) {
      Long i = Values.toLong(key);
      return i == null || i < 0 || i >= list.size() ? U : list.get(i.intValue());
    }
    if (collection instanceof String s) {
      Long i = Values.toLong(key);
      return i == null || i < 0 || i >= s.length() ? U : String.valueOf(s.charAt(i.intValue()));
    }
    if (collection instanceof Map<?, ?> m && key instanceof String k) {
      Object v = m.get(k);
      return v == null ? U : v;
    }
    return U;
  }

  private static Object transform(Object[] a) {
    if (!"enrichArray".equals(a[0])
        || !(a[1] instanceof Map<?, ?> extra)
        || !(a[2] instanceof List<?> list)) {
      return U;
    }
    List<Object> out = new ArrayList<>(list.size());
    for (Object element : list) {
      if (element instanceof Map<?, ?> m) {
        Map<Object, Object> merged = new LinkedHashMap<>(m);
        merged.putAll(extra);
        out.add(merged);
      }
    }
    return out;
  }

  private static Object topic(EvalContext c, Object[] a) {
    if (a.length == 0) {
      return c.message.topic();
    }
    Long n = Values.toLong(a[0]);
    String[] levels = c.message.topicLevels();
    return n == null || n < 1 || n > levels.length ? U : levels[(int) (n - 1)];
  }

  private static Object mqttProperty(EvalContext c, Object[] a) {
    String name = Values.toText(a[0]);
    if (name == null) {
      return U;
    }
    IncomingMessage m = c.message;
    switch (name) {
      case "content_type":
        return m.contentType();
      case "format_indicator":
        Integer f = m.payloadFormatIndicator();
        return f == null ? null : f == 1 ? "UTF8_DATA" : "UNSPECIFIED_BYTES";
      case "response_topic":
        return m.responseTopic();
      case "correlation_data":
        byte[] d = m.correlationData();
        return d == null ? null : Base64.getEncoder().encodeToString(d);
      default:
        return U;
    }
  }

  private static Object userProperties(EvalContext c, Object[] a) {
    List<Map.Entry<String, String>> props = c.message.userProperties();
    if (props.isEmpty()) {
      return U;
    }
    List<Object> out = new ArrayList<>();
    if (a.length == 0) {
      for (Map.Entry<String, String> e : props) {
        Map<String, Object> one = new LinkedHashMap<>(2);
        one.put(e.getKey(), e.getValue());
        out.add(one);
      }
      return out;
    }
    String key = Values.toText(a[0]);
    if (key == null) {
      return U;
    }
    for (Map.Entry<String, String> e : props) {
      if (e.getKey().equals(key)) {
        out.add(e.getValue());
      }
    }
    return out.isEmpty() ? U : out;
  }

  private static final Map<String, DateTimeFormatter> FORMATS = new ConcurrentHashMap<>();

  private static DateTimeFormatter format(String pattern) {
    DateTimeFormatter f = FORMATS.get(pattern);
    if (f == null) {
      f = DateTimeFormatter.ofPattern(pattern, Locale.US);
      if (FORMATS.size() > 256) {
        FORMATS.clear();
      }
      FORMATS.put(pattern, f);
    }
    return f;
  }

  private static Object parseTime(EvalContext c, Object[] a) {
    String pattern = Values.toText(a[0]);
    Long millis = Values.toLong(a[1]);
    String zone = a.length > 2 ? Values.toText(a[2]) : "UTC";
    if (pattern == null || millis == null || zone == null) {
      return U;
    }
    try {
      return format(jodaToJavaTime(pattern))
          .format(Instant.ofEpochMilli(millis).atZone(ZoneId.of(zone)));
    } catch (RuntimeException badPatternOrZone) {
      return U;
    }
  }

  /**
   * parse_time takes Joda-Time patterns (time_to_epoch takes java.time ones). The letters whose
   * meaning differs are rewritten: Joda's {@code Y} is the year of era ({@code y}), its {@code x}
   * the week-based year ({@code Y}), and its {@code Z}, {@code ZZ}, {@code ZZZ} the offset without
   * colon, with colon, and the zone id. Quoted text is left alone.
   */
  static String jodaToJavaTime(String joda) {
    StringBuilder out = new StringBuilder(joda.length() + 4);
    boolean quoted = false;
    for (int i = 0; i < joda.length(); i++) {
      char ch = joda.charAt(i);
      if (ch == '\'') {
        quoted = !quoted;
        out.append(ch);
      } else if (quoted) {
        out.append(ch);
      } else if (ch == 'Y') {
        out.append('y');
      } else if (ch == 'x') {
        out.append('Y');
      } else if (ch == 'Z') {
        int run = 1;
        while (i + 1 < joda.length() && joda.charAt(i + 1) == 'Z') {
          run++;
          i++;
        }
        out.append(run == 1 ? "xx" : run == 2 ? "xxx" : "VV");
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  private static Object timeToEpoch(EvalContext c, Object[] a) {
    String text = Values.toText(a[0]);
    String pattern = Values.toText(a[1]);
    if (text == null || pattern == null) {
      return U;
    }
    try {
      TemporalAccessor t = format(pattern).parse(text);
      LocalDate date = t.query(TemporalQueries.localDate());
      if (date == null) {
        return U;
      }
      LocalTime time = t.query(TemporalQueries.localTime());
      ZoneId zone = t.query(TemporalQueries.zone());
      ZonedDateTime at =
          ZonedDateTime.of(
              date, time == null ? LocalTime.MIDNIGHT : time, zone == null ? ZoneOffset.UTC : zone);
      return at.toInstant().toEpochMilli();
    } catch (RuntimeException unparseable) {
      return U;
    }
  }

  private static Object thingShadow(EvalContext c, Object[] a) {
    String thing = Values.toText(a[0]);
    String shadow = a.length == 3 ? Values.toText(a[1]) : null;
    if (thing == null || (a.length == 3 && shadow == null)) {
      return U;
    }
    Optional<String> json = c.env.thingShadow(thing, shadow);
    if (json.isEmpty()) {
      return U;
    }
    Object v = JsonReader.parse(json.get(), c.v2016);
    return v == null ? U : v;
  }

  // ---- cast

  /** The type keywords {@code cast(v AS type)} accepts. */
  enum CastType {
    STRING(false),
    INT(false),
    DOUBLE(false),
    DECIMAL(true),
    BOOLEAN(true);

    final boolean since2016;

    CastType(boolean since2016) {
      this.since2016 = since2016;
    }

    static CastType of(String keyword) {
      switch (keyword.toLowerCase(Locale.ROOT)) {
        case "string":
        case "nvarchar":
        case "text":
        case "ntext":
        case "varchar":
          return STRING;
        case "int":
        case "integer":
          return INT;
        case "double":
          return DOUBLE;
        case "decimal":
          return DECIMAL;
        case "bool":
        case "boolean":
          return BOOLEAN;
        default:
          return null;
      }
    }
  }

  static Expr cast(Expr value, CastType type) {
    return new Expr() {
      @Override
      Object eval(EvalContext c) {
        Object v = cast(c, value.eval(c), type);
        return v == null ? U : v;
      }

      @Override
      String defaultName() {
        return "cast";
      }
    };
  }

  private static Object cast(EvalContext c, Object v, CastType type) {
    switch (type) {
      case STRING:
        return Values.toText(v);
      case INT:
        if (v instanceof Boolean b) {
          return b ? 1L : 0L;
        }
        return Values.toIntValue(v);
      case DOUBLE:
        {
          if (v instanceof Boolean b) {
            return c.dbl(b ? 1.0 : 0.0);
          }
          Double d = toDouble(v);
          return d == null ? null : c.dbl(d);
        }
      case DECIMAL:
        {
          if (v instanceof Boolean b) {
            return c.decimal(b ? new BigDecimal("1.0") : new BigDecimal("0.0"));
          }
          Object n = Values.toNumber(v);
          return n == null ? null : Values.isInt(n) ? n : c.decimal((BigDecimal) n);
        }
      default:
        {
          if (v instanceof Boolean) {
            return v;
          }
          if (Values.isNumber(v)) {
            return Values.bigDecimal(v).signum() != 0;
          }
          return Values.toBoolean(v);
        }
    }
  }
}
