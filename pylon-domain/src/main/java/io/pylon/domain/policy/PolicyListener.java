package io.pylon.domain.policy;

/**
 * Told after a change that can alter an authorization decision has committed, so that decisions
 * cached per connection are dropped. Called on the caller's thread; implementations must be quick
 * and must not throw (a failure is logged and does not undo the change).
 */
public interface PolicyListener {

  /**
   * The policy's operative document changed (a new default version) or the policy was deleted.
   * Every connection whose principal or thing groups have it attached is affected.
   */
  default void policyChanged(String policyName) {}

  /**
   * A policy was attached to or detached from {@code target} (a certificate or thing group ARN).
   * For a thing group, the things in the groups below it are affected too.
   */
  default void attachmentsChanged(String target) {}
}
