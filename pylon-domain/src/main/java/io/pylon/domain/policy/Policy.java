package io.pylon.domain.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * A policy as stored, with the document of its default (operative) version.
 *
 * @param name the policy name, {@code [\w+=,.@-]{1,128}}
 * @param defaultVersionId the default version, a decimal number as text ({@code "1"})
 * @param document the default version's document
 * @param creationDate when the policy was created
 * @param lastModifiedDate when a version was last added, removed or made the default
 * @param generationId changes with every change to the policy; stores use it for optimistic updates
 * @param lastVersionNumber the highest version number ever given, so that a deleted version's
 *     number is never reused
 */
public record Policy(
    String name,
    String defaultVersionId,
    String document,
    Instant creationDate,
    Instant lastModifiedDate,
    String generationId,
    int lastVersionNumber) {

  public Policy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultVersionId, "defaultVersionId");
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(creationDate, "creationDate");
    Objects.requireNonNull(lastModifiedDate, "lastModifiedDate");
    Objects.requireNonNull(generationId, "generationId");
  }
}
