package io.pylon.store.identity;

import io.pylon.domain.identity.CertificateStore;
import io.pylon.domain.identity.MemoryCertificateStore;

/** The contract against the domain's in-memory store, which unit tests of services rely on. */
class MemoryCertificateStoreTest extends CertificateStoreContract {

  @Override
  protected CertificateStore open() {
    return new MemoryCertificateStore();
  }
}
