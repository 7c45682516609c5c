package io.pylon.store.registry;

import io.pylon.domain.registry.RegistryStores;

/** The contract against the in-memory store that the domain's tests use. */
class MemoryThingStoreTest extends ThingStoreContract {

  @Override
  protected RegistryStores open() {
    return RegistryStores.inMemory();
  }
}
