package io.pylon.store.shadow;

import io.pylon.domain.shadow.MemoryShadowStore;
import io.pylon.domain.shadow.ShadowStore;

/** The contract against the in-memory store that the domain's tests use. */
class MemoryShadowStoreTest extends ShadowStoreContract {

  @Override
  protected ShadowStore open() {
    return new MemoryShadowStore();
  }
}
