package io.pylon.store.registry;

import io.pylon.domain.registry.RegistryStores;

/** The contract against the in-memory store that the domain's tests use. */
class MemoryThingTypeStoreTest extends ThingTypeStoreContract {

  @Override
  protected RegistryStores open() {
    return RegistryStores.inMemory();
  }
}
