package io.pylon.domain.registry;

import io.pylon.domain.error.InvalidRequestException;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The AWS IoT model's patterns, lengths and the registry quotas, checked before anything is stored.
 * Every failure is an {@link InvalidRequestException} whose message names the member and the rule.
 */
public final class RegistryConstraints {

  /** Things, thing types and thing groups share the name rule. */
  public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9:_-]+");

  public static final int NAME_MAX = 128;
  public static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-zA-Z0-9_.,@/:#-]+");
  public static final int ATTRIBUTE_NAME_MAX = 128;
  public static final Pattern ATTRIBUTE_VALUE = Pattern.compile("[a-zA-Z0-9_.,@/:#=\\[\\]-]*");
  public static final int ATTRIBUTE_VALUE_MAX = 800;

  /** Attributes of a thing without a thing type. */
  public static final int ATTRIBUTES_WITHOUT_TYPE = 3;

  /** Attributes of a thing with a thing type, and of a thing group. */
  public static final int ATTRIBUTES_WITH_TYPE = 50;

  public static final Pattern DESCRIPTION = Pattern.compile("[\\p{Graph}\\x20]*");
  public static final int DESCRIPTION_MAX = 2028;
  public static final int SEARCHABLE_ATTRIBUTES_MAX = 3;
  public static final Pattern USER_PROPERTY_KEY = Pattern.compile("[a-zA-Z0-9:$.]+");
  public static final Pattern CONNECTION_ATTRIBUTE = Pattern.compile("[a-zA-Z0-9:.]+");

  /** Levels of a thing group hierarchy, the root counting as one. */
  public static final int GROUP_DEPTH_MAX = 7;

  public static final int CHILD_GROUPS_MAX = 100;
  public static final int GROUPS_PER_THING_MAX = 10;

  private RegistryConstraints() {}

  /** A thing, thing type or thing group name; {@code member} names it in the message. */
  public static String name(String member, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidRequestException(member + " must not be empty");
    }
    if (value.length() > NAME_MAX) {
      throw new InvalidRequestException(
          member + " must be at most " + NAME_MAX + " characters long, was " + value.length());
    }
    if (!NAME.matcher(value).matches()) {
      throw new InvalidRequestException(member + " '" + value + "' must match " + NAME.pattern());
    }
    return value;
  }

  public static String attributeName(String member, String value) {
    if (value.length() > ATTRIBUTE_NAME_MAX) {
      throw new InvalidRequestException(
          member + " must be at most " + ATTRIBUTE_NAME_MAX + " characters long");
    }
    if (!ATTRIBUTE_NAME.matcher(value).matches()) {
      throw new InvalidRequestException(
          member + " '" + value + "' must match " + ATTRIBUTE_NAME.pattern());
    }
    return value;
  }

  public static String attributeValue(String member, String value) {
    if (value.length() > ATTRIBUTE_VALUE_MAX) {
      throw new InvalidRequestException(
          member + " must be at most " + ATTRIBUTE_VALUE_MAX + " characters long");
    }
    if (!ATTRIBUTE_VALUE.matcher(value).matches()) {
      throw new InvalidRequestException(
          member + " '" + value + "' must match " + ATTRIBUTE_VALUE.pattern());
    }
    return value;
  }

  /** Names and values of an attribute map. */
  public static void attributes(Map<String, String> attributes) {
    attributes.forEach(
        (name, value) -> {
          attributeName("attribute name", name);
          attributeValue("value of attribute " + name, value);
        });
  }

  /** The number of attributes a thing may have, three without a type. */
  public static void attributeCount(Map<String, String> attributes, boolean hasType) {
    int max = hasType ? ATTRIBUTES_WITH_TYPE : ATTRIBUTES_WITHOUT_TYPE;
    if (attributes.size() > max) {
      throw new InvalidRequestException(
          "a thing "
              + (hasType ? "with" : "without")
              + " a thing type can have at most "
              + max
              + " attributes, this one would have "
              + attributes.size());
    }
  }

  public static void groupAttributeCount(Map<String, String> attributes) {
    if (attributes.size() > ATTRIBUTES_WITH_TYPE) {
      throw new InvalidRequestException(
          "a thing group can have at most "
              + ATTRIBUTES_WITH_TYPE
              + " attributes, this one would have "
              + attributes.size());
    }
  }

  public static String description(String member, String value) {
    if (value.length() > DESCRIPTION_MAX) {
      throw new InvalidRequestException(
          member + " must be at most " + DESCRIPTION_MAX + " characters long");
    }
    if (!DESCRIPTION.matcher(value).matches()) {
      throw new InvalidRequestException(
          member + " may contain only printable characters and spaces");
    }
    return value;
  }

  public static void thingTypeProperties(ThingTypeProperties properties) {
    properties.description().ifPresent(d -> description("thingTypeDescription", d));
    Collection<String> searchable = properties.searchableAttributes();
    if (searchable.size() > SEARCHABLE_ATTRIBUTES_MAX) {
      throw new InvalidRequestException(
          "a thing type can have at most "
              + SEARCHABLE_ATTRIBUTES_MAX
              + " searchableAttributes, got "
              + searchable.size());
    }
    searchable.forEach(a -> attributeName("searchableAttributes", a));
    for (ThingTypeProperties.PropagatingAttribute p : properties.propagatingAttributes()) {
      p.userPropertyKey().ifPresent(k -> pattern("userPropertyKey", k, USER_PROPERTY_KEY));
      p.thingAttribute().ifPresent(a -> attributeName("thingAttribute", a));
      p.connectionAttribute()
          .ifPresent(a -> pattern("connectionAttribute", a, CONNECTION_ATTRIBUTE));
    }
  }

  private static void pattern(String member, String value, Pattern pattern) {
    if (value.length() > NAME_MAX || !pattern.matcher(value).matches()) {
      throw new InvalidRequestException(
          member
              + " '"
              + value
              + "' must match "
              + pattern.pattern()
              + " and be at most "
              + NAME_MAX
              + " characters long");
    }
  }
}
