package io.pylon.domain.rules;

/** The states of a topic rule destination, as the AWS model names them. */
public enum TopicRuleDestinationStatus {
  /** Confirmed and usable by rule actions. */
  ENABLED,
  /** Created (or asked to confirm again); the confirmation request is out. */
  IN_PROGRESS,
  /** Confirmed, but rule actions may not use it. */
  DISABLED,
  /** The confirmation did not complete (the token expired). */
  ERROR,
  /** Being deleted; Pylon deletes at once and never reports it. */
  DELETING
}
