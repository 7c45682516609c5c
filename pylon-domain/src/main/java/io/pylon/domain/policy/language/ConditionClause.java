package io.pylon.domain.policy.language;

import io.pylon.domain.error.MalformedPolicyException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One operator-key entry of a Condition block, compiled. Conditions only read the context, never
 * the action or resource, so {@link #holds} runs once when policies are prepared for a context, not
 * per request.
 *
 * <p>IAM semantics: several policy values are ORed (NORed for negated operators); a missing key
 * makes the clause false, except that negated operators, {@code ...IfExists} and {@code
 * ForAllValues:} hold then; {@code ForAnyValue:} needs one context value to pass, {@code
 * ForAllValues:} every one; {@code Null} tests presence.
 */
final class ConditionClause {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+:[^\\s]+");
  private static final Pattern EPOCH = Pattern.compile("-?[0-9]{1,12}");

  private enum Qualifier {
    NONE,
    FOR_ANY_VALUE,
    FOR_ALL_VALUES
  }

  private final Condition source;
  private final ConditionOperator operator;
  private final Qualifier qualifier;
  private final boolean ifExists;
  private final VariableRef key;
  private final List<Template> values;

  private ConditionClause(
      Condition source,
      ConditionOperator operator,
      Qualifier qualifier,
      boolean ifExists,
      VariableRef key,
      List<Template> values) {
    this.source = source;
    this.operator = operator;
    this.qualifier = qualifier;
    this.ifExists = ifExists;
    this.key = key;
    this.values = values;
  }

  static ConditionClause compile(Condition condition, boolean variables, String where) {
    String name = condition.operator();
    Qualifier qualifier = Qualifier.NONE;
    if (name.startsWith("ForAnyValue:")) {
      qualifier = Qualifier.FOR_ANY_VALUE;
      name = name.substring("ForAnyValue:".length());
    } else if (name.startsWith("ForAllValues:")) {
      qualifier = Qualifier.FOR_ALL_VALUES;
      name = name.substring("ForAllValues:".length());
    }
    boolean ifExists = name.endsWith("IfExists");
    if (ifExists) {
      name = name.substring(0, name.length() - "IfExists".length());
    }
    ConditionOperator operator = ConditionOperator.byName(name);
    if (operator == null || (ifExists && operator == ConditionOperator.NULL)) {
      throw new MalformedPolicyException(
          where + ": unknown condition operator \"" + condition.operator() + "\"");
    }
    if (!KEY.matcher(condition.key()).matches()) {
      throw new MalformedPolicyException(
          where
              + ": condition key \""
              + condition.key()
              + "\" must be of the form prefix:name, e.g. iot:ClientId");
    }
    List<Template> templates = new ArrayList<>();
    for (String value : condition.values()) {
      Template template =
          Template.compile(value, operator.wildcards(), variables, operator.ignoreCase());
      if (!template.hasVariables()) {
        validateLiteral(operator, value, where, condition);
      }
      templates.add(template);
    }
    if (operator == ConditionOperator.NULL && condition.values().isEmpty()) {
      throw new MalformedPolicyException(where + ": Null needs a value \"true\" or \"false\"");
    }
    return new ConditionClause(
        condition,
        operator,
        qualifier,
        ifExists,
        VariableRef.parse(condition.key()),
        List.copyOf(templates));
  }

  /** Values written without variables are checked once here, as AWS rejects them on create. */
  private static void validateLiteral(
      ConditionOperator operator, String value, String where, Condition condition) {
    boolean valid =
        switch (operator.kind) {
          case NUMERIC -> number(value) != null;
          case DATE -> epochMillis(value) != null;
          case BOOL, NULL -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
          case IP -> IpRange.parse(value) != null;
          default -> true;
        };
    if (!valid) {
      throw new MalformedPolicyException(
          where
              + ": value \""
              + value
              + "\" of "
              + condition.operator()
              + " on "
              + condition.key()
              + " is not a valid "
              + operator.kind.name().toLowerCase(java.util.Locale.ROOT)
              + " value");
    }
  }

  Condition source() {
    return source;
  }

  void variables(Collection<VariableRef> out) {
    out.add(key);
    values.forEach(t -> t.variables(out));
  }

  /** Whether this clause holds for {@code context}; names missing keys/variables into missing. */
  boolean holds(PolicyContext context, Collection<String> missing) {
    List<String> actual = key.values(context);
    if (operator == ConditionOperator.NULL) {
      for (Template value : values) {
        String wanted = substitute(value, context, missing);
        if (wanted != null && wanted.equalsIgnoreCase("true") == actual.isEmpty()) {
          return true;
        }
      }
      return false;
    }
    if (actual.isEmpty()) {
      if (!ifExists && missing != null) {
        missing.add(key.name());
      }
      if (ifExists || qualifier == Qualifier.FOR_ALL_VALUES) {
        return true;
      }
      return qualifier == Qualifier.NONE && operator.negated;
    }
    List<Predicate<String>> matchers = new ArrayList<>(values.size());
    for (Template value : values) {
      matchers.add(matcher(value, context, missing));
    }
    Predicate<String> passes =
        v -> {
          if (!comparable(v)) {
            return false;
          }
          boolean any = false;
          for (Predicate<String> matcher : matchers) {
            if (matcher.test(v)) {
              any = true;
              break;
            }
          }
          return operator.negated != any;
        };
    boolean all =
        qualifier == Qualifier.FOR_ALL_VALUES || (qualifier == Qualifier.NONE && operator.negated);
    return all ? actual.stream().allMatch(passes) : actual.stream().anyMatch(passes);
  }

  private boolean comparable(String actual) {
    return switch (operator.kind) {
      case NUMERIC -> number(actual) != null;
      case DATE -> epochMillis(actual) != null;
      case IP -> IpRange.address(actual.strip()) != null;
      default -> true;
    };
  }

  /** Whether an actual value matches one policy value (before negation). */
  private Predicate<String> matcher(
      Template value, PolicyContext context, Collection<String> missing) {
    switch (operator.kind) {
      case STRING:
        Glob glob = value.bind(context, missing);
        return glob::matches;
      default:
        break;
    }
    String policy = substitute(value, context, missing);
    if (policy == null) {
      return v -> false;
    }
    switch (operator.kind) {
      case NUMERIC:
        {
          BigDecimal wanted = number(policy);
          return wanted == null ? v -> false : v -> operator.accepts(number(v).compareTo(wanted));
        }
      case DATE:
        {
          Long wanted = epochMillis(policy);
          return wanted == null
              ? v -> false
              : v -> operator.accepts(Long.compare(epochMillis(v), wanted));
        }
      case BOOL:
        return v -> v.equalsIgnoreCase(policy);
      case BINARY:
        return v -> v.equals(policy);
      case IP:
        {
          IpRange range = IpRange.parse(policy);
          return range == null ? v -> false : range::contains;
        }
      case ARN:
        return arnMatcher(policy);
      default:
        throw new IllegalStateException(operator.name());
    }
  }

  private static String substitute(
      Template value, PolicyContext context, Collection<String> missing) {
    Glob literal = value.bind(context, missing);
    return literal == Glob.NEVER ? null : literal.toString();
  }

  /** ARNs are compared component by component; wildcards do not cross the first five colons. */
  private static Predicate<String> arnMatcher(String policy) {
    String[] parts = arnParts(policy);
    if (parts == null) {
      // Only "*" stands for any ARN; anything else that is not six components matches nothing.
      return policy.equals("*") ? v -> true : v -> false;
    }
    Glob[] globs = new Glob[parts.length];
    for (int i = 0; i < parts.length; i++) {
      globs[i] = Template.compile(parts[i], true, false, false).bind(null, null);
    }
    return v -> {
      String[] actual = arnParts(v);
      if (actual == null) {
        return false;
      }
      for (int i = 0; i < globs.length; i++) {
        if (!globs[i].matches(actual[i])) {
          return false;
        }
      }
      return true;
    };
  }

  private static String[] arnParts(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 && parts[0].equals("arn") ? parts : null;
  }

  static BigDecimal number(String text) {
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** ISO 8601 date-time or date, or epoch seconds; null when neither. */
  static Long epochMillis(String text) {
    String value = text.strip();
    if (EPOCH.matcher(value).matches()) {
      return Long.parseLong(value) * 1000;
    }
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException e) {
      // try the other ISO forms
    }
    try {
      return OffsetDateTime.parse(value).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      // try a plain date
    }
    try {
      return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
