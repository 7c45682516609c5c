package io.pylon.domain.policy.language;

import java.util.List;

/**
 * One key of a statement's {@code Condition} block, as written.
 *
 * @param operator the operator with its qualifiers, e.g. {@code ForAnyValue:StringLikeIfExists}
 * @param key the context key, e.g. {@code iot:Connection.Thing.IsAttached}
 * @param values the policy values (an empty list is allowed: {@code ForAllValues} uses it)
 */
public record Condition(String operator, String key, List<String> values) {

  public Condition {
    values = List.copyOf(values);
  }
}
