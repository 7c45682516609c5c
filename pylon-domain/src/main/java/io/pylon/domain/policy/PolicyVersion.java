package io.pylon.domain.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a policy's document. Whether it is the default is the policy's business ({@link
 * Policy#defaultVersionId()}).
 *
 * @param policyName the policy it belongs to
 * @param versionId a decimal number as text, {@code "1"} for the version CreatePolicy makes
 * @param document the policy document as the caller sent it
 * @param createDate when the version was created
 */
public record PolicyVersion(
    String policyName, String versionId, String document, Instant createDate) {

  public PolicyVersion {
    Objects.requireNonNull(policyName, "policyName");
    Objects.requireNonNull(versionId, "versionId");
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(createDate, "createDate");
  }
}
