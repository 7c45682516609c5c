package io.pylon.domain.policy;

import java.util.Objects;

/**
 * A version together with the policy it belongs to, which says whether it is the default and
 * carries the policy's dates and generation (GetPolicyVersion, CreatePolicyVersion,
 * ListPolicyVersions).
 */
public record PolicyVersionDetails(Policy policy, PolicyVersion version) {

  public PolicyVersionDetails {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(version, "version");
  }

  public boolean isDefaultVersion() {
    return policy.defaultVersionId().equals(version.versionId());
  }
}
