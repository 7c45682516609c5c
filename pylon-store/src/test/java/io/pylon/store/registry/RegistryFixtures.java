package io.pylon.store.registry;

import io.pylon.domain.registry.Thing;
import io.pylon.domain.registry.ThingGroup;
import io.pylon.domain.registry.ThingType;
import io.pylon.domain.registry.ThingTypeProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Values the registry contracts store. */
final class RegistryFixtures {

  static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.678Z");

  private RegistryFixtures() {}

  static Thing thing(String name) {
    return new Thing(name, "id-" + name, Optional.empty(), Map.of(), 1);
  }

  static Thing thing(String name, String type, Map<String, String> attributes) {
    return new Thing(name, "id-" + name, Optional.ofNullable(type), attributes, 1);
  }

  static ThingType type(String name) {
    return new ThingType(
        name, "id-" + name, ThingTypeProperties.NONE, false, Optional.empty(), CREATED);
  }

  static ThingGroup root(String name) {
    return new ThingGroup(name, "id-" + name, List.of(), Optional.empty(), Map.of(), 1, CREATED);
  }

  static ThingGroup child(ThingGroup parent, String name) {
    List<String> ancestors = new ArrayList<>(parent.ancestors());
    ancestors.add(parent.name());
    return new ThingGroup(name, "id-" + name, ancestors, Optional.empty(), Map.of(), 1, CREATED);
  }
}
