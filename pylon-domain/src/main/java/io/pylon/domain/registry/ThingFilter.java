package io.pylon.domain.registry;

import java.util.Optional;

/**
 * Which things ListThings returns: all of them, or those with an attribute (of a given value, or
 * starting with it) and/or of a thing type.
 *
 * @param attributeName only things that have this attribute
 * @param attributeValue with {@code attributeName}: its value, or its prefix if {@code
 *     valueIsPrefix}
 * @param valueIsPrefix whether {@code attributeValue} is matched as a prefix
 * @param thingTypeName only things of this type
 */
public record ThingFilter(
    Optional<String> attributeName,
    Optional<String> attributeValue,
    boolean valueIsPrefix,
    Optional<String> thingTypeName) {

  public static final ThingFilter ALL =
      new ThingFilter(Optional.empty(), Optional.empty(), false, Optional.empty());

  /** Whether {@code thing} passes, the meaning that every store must implement. */
  public boolean matches(Thing thing) {
    if (thingTypeName.isPresent() && !thingTypeName.equals(thing.thingTypeName())) {
      return false;
    }
    if (attributeName.isEmpty()) {
      return true;
    }
    String value = thing.attributes().get(attributeName.get());
    if (value == null) {
      return false;
    }
    return attributeValue.isEmpty()
        || (valueIsPrefix
            ? value.startsWith(attributeValue.get())
            : value.equals(attributeValue.get()));
  }
}
