package io.pylon.domain.policy.language;

import java.util.List;

/**
 * The answer to one authorization request.
 *
 * @param authDecision allowed, explicitly denied or implicitly denied
 * @param decidingStatements the statements that decided: the matching Deny statements for {@link
 *     AuthDecision#EXPLICIT_DENY}, the matching Allow statements for {@link AuthDecision#ALLOWED},
 *     none for {@link AuthDecision#IMPLICIT_DENY}. {@link PreparedPolicies#evaluate} names the
 *     first one only; {@link PreparedPolicies#explain} names them all.
 * @param missingContextValues policy variables and condition keys that the statements for this
 *     action referred to but the context did not resolve (filled by {@code explain} only), as
 *     TestAuthorization's {@code missingContextValues}
 */
public record Decision(
    AuthDecision authDecision,
    List<StatementRef> decidingStatements,
    List<String> missingContextValues) {

  static final Decision IMPLICIT_DENY =
      new Decision(AuthDecision.IMPLICIT_DENY, List.of(), List.of());

  public Decision {
    decidingStatements = List.copyOf(decidingStatements);
    missingContextValues = List.copyOf(missingContextValues);
  }

  public boolean allowed() {
    return authDecision == AuthDecision.ALLOWED;
  }
}
