package io.pylon.domain.policy;

/**
 * Whether the targets that policies are attached to exist. The server implements it over the
 * certificate service and the thing-group registry.
 */
public interface PolicyTargets {

  /** Whether a certificate with this id (64 lower-case hex digits) is registered. */
  boolean certificateExists(String certificateId);

  /** Whether a thing group with this name exists. */
  boolean thingGroupExists(String groupName);
}
