package io.pylon.domain.registry;

import java.util.Objects;

/** The registry's stores, handed to its services together. */
public record RegistryStores(
    ThingStore things,
    ThingTypeStore thingTypes,
    ThingGroupStore thingGroups,
    ThingPrincipalStore thingPrincipals) {

  public RegistryStores {
    Objects.requireNonNull(things, "things");
    Objects.requireNonNull(thingTypes, "thingTypes");
    Objects.requireNonNull(thingGroups, "thingGroups");
    Objects.requireNonNull(thingPrincipals, "thingPrincipals");
  }

  /** Stores in memory, for tests and tools that need no persistence. */
  public static RegistryStores inMemory() {
    return new RegistryStores(
        new MemoryThingStore(),
        new MemoryThingTypeStore(),
        new MemoryThingGroupStore(),
        new MemoryThingPrincipalStore());
  }
}
