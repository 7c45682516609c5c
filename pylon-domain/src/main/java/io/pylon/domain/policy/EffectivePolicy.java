package io.pylon.domain.policy;

import java.util.Objects;

/**
 * A policy that applies to a principal, with the document of its default version.
 *
 * @param name the policy name
 * @param arn the policy ARN
 * @param versionId the default version the document is from
 * @param document the document that is in effect
 */
public record EffectivePolicy(String name, String arn, String versionId, String document) {

  public EffectivePolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(versionId, "versionId");
    Objects.requireNonNull(document, "document");
  }
}
