package io.pylon.domain.policy.language;

import java.util.Objects;

/**
 * A policy document under the name that deciding statements are reported with (the IoT policy name;
 * for custom-authorizer documents whatever the caller chooses, e.g. the authorizer name).
 */
public record NamedPolicy(String name, PolicyDocument document) {

  public NamedPolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(document, "document");
  }
}
