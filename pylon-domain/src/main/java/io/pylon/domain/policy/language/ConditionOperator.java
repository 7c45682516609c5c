package io.pylon.domain.policy.language;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The IAM condition operators that IoT policies accept, without set qualifier or IfExists. */
enum ConditionOperator {
  STRING_EQUALS("StringEquals", Kind.STRING, false),
  STRING_NOT_EQUALS("StringNotEquals", Kind.STRING, true),
  STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Kind.STRING, false),
  STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Kind.STRING, true),
  STRING_LIKE("StringLike", Kind.STRING, false),
  STRING_NOT_LIKE("StringNotLike", Kind.STRING, true),
  NUMERIC_EQUALS("NumericEquals", Kind.NUMERIC, false),
  NUMERIC_NOT_EQUALS("NumericNotEquals", Kind.NUMERIC, true),
  NUMERIC_LESS_THAN("NumericLessThan", Kind.NUMERIC, false),
  NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Kind.NUMERIC, false),
  NUMERIC_GREATER_THAN("NumericGreaterThan", Kind.NUMERIC, false),
  NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Kind.NUMERIC, false),
  DATE_EQUALS("DateEquals", Kind.DATE, false),
  DATE_NOT_EQUALS("DateNotEquals", Kind.DATE, true),
  DATE_LESS_THAN("DateLessThan", Kind.DATE, false),
  DATE_LESS_THAN_EQUALS("DateLessThanEquals", Kind.DATE, false),
  DATE_GREATER_THAN("DateGreaterThan", Kind.DATE, false),
  DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Kind.DATE, false),
  BOOL("Bool", Kind.BOOL, false),
  BINARY_EQUALS("BinaryEquals", Kind.BINARY, false),
  IP_ADDRESS("IpAddress", Kind.IP, false),
  NOT_IP_ADDRESS("NotIpAddress", Kind.IP, true),
  ARN_EQUALS("ArnEquals", Kind.ARN, false),
  ARN_NOT_EQUALS("ArnNotEquals", Kind.ARN, true),
  ARN_LIKE("ArnLike", Kind.ARN, false),
  ARN_NOT_LIKE("ArnNotLike", Kind.ARN, true),
  NULL("Null", Kind.NULL, false);

  enum Kind {
    STRING,
    NUMERIC,
    DATE,
    BOOL,
    BINARY,
    IP,
    ARN,
    NULL
  }

  private static final Map<String, ConditionOperator> BY_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(o -> o.jsonName, Function.identity()));

  final String jsonName;
  final Kind kind;

  /** Negated operators match when no policy value matches, and hold when the key is missing. */
  final boolean negated;

  ConditionOperator(String jsonName, Kind kind, boolean negated) {
    this.jsonName = jsonName;
    this.kind = kind;
    this.negated = negated;
  }

  static ConditionOperator byName(String name) {
    return BY_NAME.get(name);
  }

  boolean ignoreCase() {
    return this == STRING_EQUALS_IGNORE_CASE || this == STRING_NOT_EQUALS_IGNORE_CASE;
  }

  boolean wildcards() {
    return this == STRING_LIKE || this == STRING_NOT_LIKE;
  }

  /** For ordered kinds: whether {@code comparison} (actual compared with policy value) holds. */
  boolean accepts(int comparison) {
    return switch (this) {
      case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS, DATE_EQUALS, DATE_NOT_EQUALS -> comparison == 0;
      case NUMERIC_LESS_THAN, DATE_LESS_THAN -> comparison < 0;
      case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> comparison <= 0;
      case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> comparison > 0;
      case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> comparison >= 0;
      default -> throw new IllegalStateException(name());
    };
  }
}
