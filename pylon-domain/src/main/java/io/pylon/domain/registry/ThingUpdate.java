package io.pylon.domain.registry;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What UpdateThing changes.
 *
 * @param thingTypeName the new thing type, if it changes
 * @param removeThingType whether to remove the thing type
 * @param attributePayload new attributes, if they change
 * @param expectedVersion the version the thing must have for the update to apply
 */
public record ThingUpdate(
    Optional<String> thingTypeName,
    boolean removeThingType,
    Optional<AttributePayload> attributePayload,
    OptionalLong expectedVersion) {

  public ThingUpdate {
    Objects.requireNonNull(thingTypeName, "thingTypeName");
    Objects.requireNonNull(attributePayload, "attributePayload");
    Objects.requireNonNull(expectedVersion, "expectedVersion");
  }
}
