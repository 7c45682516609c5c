package io.pylon.domain.policy.language;

/**
 * Names one statement of one policy, for TestAuthorization and for logs that say why.
 *
 * @param policyName the name the policy was evaluated under
 * @param statementIndex the statement's zero-based position in the document's {@code Statement}
 * @param sid its {@code Sid}, or null
 */
public record StatementRef(String policyName, int statementIndex, String sid) {

  @Override
  public String toString() {
    return policyName + "#" + statementIndex + (sid == null ? "" : "(" + sid + ")");
  }
}
