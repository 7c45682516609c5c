package io.pylon.domain.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a thing type says about its things.
 *
 * @param description free text, up to 2028 characters
 * @param searchableAttributes up to three attribute names that fleet indexing searches
 * @param propagatingAttributes MQTT 5 user properties that messages of its things carry
 */
public record ThingTypeProperties(
    Optional<String> description,
    List<String> searchableAttributes,
    List<PropagatingAttribute> propagatingAttributes) {

  public static final ThingTypeProperties NONE =
      new ThingTypeProperties(Optional.empty(), List.of(), List.of());

  public ThingTypeProperties {
    Objects.requireNonNull(description, "description");
    searchableAttributes = List.copyOf(searchableAttributes);
    propagatingAttributes = List.copyOf(propagatingAttributes);
  }

  public ThingTypeProperties withDescription(Optional<String> newDescription) {
    return new ThingTypeProperties(newDescription, searchableAttributes, propagatingAttributes);
  }

  public ThingTypeProperties withSearchableAttributes(List<String> names) {
    return new ThingTypeProperties(description, names, propagatingAttributes);
  }

  public ThingTypeProperties withPropagatingAttributes(List<PropagatingAttribute> attributes) {
    return new ThingTypeProperties(description, searchableAttributes, attributes);
  }

  /**
   * One MQTT 5 user property added to messages: its key, and the thing attribute or connection
   * attribute whose value it takes.
   */
  public record PropagatingAttribute(
      Optional<String> userPropertyKey,
      Optional<String> thingAttribute,
      Optional<String> connectionAttribute) {

    public PropagatingAttribute {
      Objects.requireNonNull(userPropertyKey, "userPropertyKey");
      Objects.requireNonNull(thingAttribute, "thingAttribute");
      Objects.requireNonNull(connectionAttribute, "connectionAttribute");
    }
  }
}
