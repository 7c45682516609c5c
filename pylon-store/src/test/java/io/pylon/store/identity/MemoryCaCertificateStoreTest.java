package io.pylon.store.identity;

import io.pylon.domain.identity.CaCertificateStore;
import io.pylon.domain.identity.MemoryCaCertificateStore;

/** The contract against the domain's in-memory store, which unit tests of services rely on. */
class MemoryCaCertificateStoreTest extends CaCertificateStoreContract {

  @Override
  protected CaCertificateStore open() {
    return new MemoryCaCertificateStore();
  }
}
