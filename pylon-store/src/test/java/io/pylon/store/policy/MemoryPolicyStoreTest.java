package io.pylon.store.policy;

import io.pylon.domain.policy.MemoryPolicyStore;
import io.pylon.domain.policy.PolicyStore;

/** The contract against the in-memory store, showing it asks nothing a map cannot give. */
class MemoryPolicyStoreTest extends PolicyStoreContract {

  @Override
  protected PolicyStore open() {
    return new MemoryPolicyStore();
  }
}
