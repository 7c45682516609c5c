package io.pylon.domain.policy;

import java.util.List;
import java.util.Objects;

/**
 * The answer to one {@link AuthInfo}, shaped like TestAuthorization's {@code AuthResult}.
 *
 * @param authInfo the question answered
 * @param authDecision the decision over all policies
 * @param allowed names of the policies whose statements allowed it
 * @param explicitDeny names of the policies whose statements denied it
 * @param implicitDeny names of the policies that neither allowed nor denied it
 * @param missingContextValues policy variables or condition keys that could not be resolved
 */
public record AuthResult(
    AuthInfo authInfo,
    Decision authDecision,
    List<String> allowed,
    List<String> explicitDeny,
    List<String> implicitDeny,
    List<String> missingContextValues) {

  /** TestAuthorization's {@code authDecision} values. */
  public enum Decision {
    ALLOWED,
    EXPLICIT_DENY,
    IMPLICIT_DENY
  }

  public AuthResult {
    Objects.requireNonNull(authInfo, "authInfo");
    Objects.requireNonNull(authDecision, "authDecision");
    allowed = List.copyOf(allowed);
    explicitDeny = List.copyOf(explicitDeny);
    implicitDeny = List.copyOf(implicitDeny);
    missingContextValues = List.copyOf(missingContextValues);
  }
}
