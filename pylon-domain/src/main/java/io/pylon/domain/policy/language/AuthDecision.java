package io.pylon.domain.policy.language;

/** The outcome of an evaluation, named as TestAuthorization's {@code authDecision} values. */
public enum AuthDecision {
  /** An Allow statement matched and no Deny statement did. */
  ALLOWED,
  /** A Deny statement matched; it wins over every Allow. */
  EXPLICIT_DENY,
  /** Nothing matched: everything not granted is refused. */
  IMPLICIT_DENY
}
