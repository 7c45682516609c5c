package io.pylon.domain.registry;

import java.util.Objects;

/**
 * A principal attached to a thing.
 *
 * @param thingName the thing
 * @param principal a certificate ARN or another principal (a Cognito identity id)
 * @param type exclusive or not
 */
public record ThingPrincipal(String thingName, String principal, ThingPrincipalType type) {

  public ThingPrincipal {
    Objects.requireNonNull(thingName, "thingName");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(type, "type");
  }
}
