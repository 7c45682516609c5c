package io.pylon.domain.registry;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * New attributes for a thing or thing group, as UpdateThing and UpdateThingGroup take them.
 *
 * @param attributes name to value; an empty value removes the attribute
 * @param merge true to change only the attributes named, false to replace them all
 */
public record AttributePayload(Map<String, String> attributes, boolean merge) {

  public AttributePayload {
    attributes = Thing.sorted(attributes);
  }

  /** The attributes after applying this payload to {@code current}. */
  public SortedMap<String, String> applyTo(Map<String, String> current) {
    TreeMap<String, String> result = new TreeMap<>(merge ? current : Map.of());
    attributes.forEach(
        (name, value) -> {
          if (value.isEmpty()) {
            result.remove(name);
          } else {
            result.put(name, value);
          }
        });
    return result;
  }
}
