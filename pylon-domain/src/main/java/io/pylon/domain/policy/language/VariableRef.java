package io.pylon.domain.policy.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A context key as a policy names it, in a {@code ${...}} variable or as a condition key, resolved
 * once at parse time into the canonical map key of {@link PolicyContext} plus the certificate
 * selectors {@code .N} (zero-based: {@code .1} is the second value) and {@code .List}.
 *
 * @param name the key as written, reported in {@code missingContextValues}
 * @param key canonical form: lower case, except the attribute name in {@code Attributes[...]}
 * @param index the selected value of a multi-valued certificate field, or -1
 * @param list {@code .List}: all values of a certificate field
 * @param certificate an {@code iot:Certificate.*} key, whose plain form gives the first value only
 * @param defaultValue IAM's {@code ${key, 'default'}}: the value used when the key is missing, or
 *     null
 */
record VariableRef(
    String name, String key, int index, boolean list, boolean certificate, String defaultValue) {

  static final String CERTIFICATE_PREFIX = "iot:certificate.";
  static final String AVAILABLE_KEYS = "iot:certificate.availablekeys";

  static VariableRef parse(String name) {
    String written = name.strip();
    String defaultValue = null;
    int comma = written.indexOf(',');
    if (comma > 0) {
      String fallback = written.substring(comma + 1).strip();
      if (fallback.length() >= 2 && fallback.startsWith("'") && fallback.endsWith("'")) {
        defaultValue = fallback.substring(1, fallback.length() - 1);
        written = written.substring(0, comma).strip();
      }
    }
    String key = canonical(written);
    // AvailableKeys is a plain list of names, not a certificate field with selectors.
    boolean certificate = key.startsWith(CERTIFICATE_PREFIX) && !key.equals(AVAILABLE_KEYS);
    int index = -1;
    boolean list = false;
    if (certificate) {
      int dot = key.lastIndexOf('.');
      String last = key.substring(dot + 1);
      if (last.equals("list")) {
        list = true;
        key = key.substring(0, dot);
      } else if (!last.isEmpty()
          && last.length() <= 3
          && last.chars().allMatch(Character::isDigit)) {
        index = Integer.parseInt(last);
        key = key.substring(0, dot);
      }
    }
    return new VariableRef(name, key, index, list, certificate, defaultValue);
  }

  /**
   * Keys are case-insensitive as in IAM, but thing attribute names inside {@code [...]} are not.
   */
  static String canonical(String key) {
    int open = key.indexOf('[');
    int close = open < 0 ? -1 : key.indexOf(']', open);
    if (close < 0) {
      return key.toLowerCase(Locale.ROOT);
    }
    return key.substring(0, open).toLowerCase(Locale.ROOT)
        + key.substring(open, close + 1)
        + key.substring(close + 1).toLowerCase(Locale.ROOT);
  }

  /** The values this reference sees in a condition; empty when the context lacks them. */
  List<String> values(PolicyContext context) {
    List<String> values = contextValues(context);
    return values.isEmpty() && defaultValue != null ? List.of(defaultValue) : values;
  }

  private List<String> contextValues(PolicyContext context) {
    String[] all = context.raw(key);
    if (all == null || all.length == 0) {
      return List.of();
    }
    if (index >= 0) {
      return index < all.length && all[index] != null ? List.of(all[index]) : List.of();
    }
    if (certificate && !list) {
      return all[0] != null ? List.of(all[0]) : List.of();
    }
    List<String> present = new ArrayList<>(all.length);
    for (String value : all) {
      if (value != null) {
        present.add(value);
      }
    }
    return present;
  }

  /** The one value to substitute for {@code ${name}}, or null when there is not exactly one. */
  String single(PolicyContext context) {
    List<String> values = values(context);
    return values.size() == 1 ? values.get(0) : null;
  }
}
