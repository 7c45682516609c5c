package io.pylon.store.tagging;

import io.pylon.domain.tagging.MemoryTagStore;
import io.pylon.domain.tagging.TagStore;

/** The contract against the in-memory store that the domain's tests use. */
class MemoryTagStoreTest extends TagStoreContract {

  @Override
  protected TagStore open() {
    return new MemoryTagStore();
  }
}
