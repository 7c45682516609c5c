package io.pylon.http.sigv4;

import java.util.Map;
import java.util.Optional;

/**
 * Looks up the secret behind an access key id. Called once per verified request, so implementations
 * should answer from memory or a cache.
 */
@FunctionalInterface
public interface CredentialStore {

  Optional<SecretKey> secretFor(String accessKeyId);

  /** A fixed store, for tests and for the single admin key of a fresh data directory. */
  static CredentialStore of(Map<String, SecretKey> keys) {
    Map<String, SecretKey> copy = Map.copyOf(keys);
    return accessKeyId -> Optional.ofNullable(copy.get(accessKeyId));
  }
}
