package io.pylon.http.sigv4;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The server-side record of one access key.
 *
 * @param secretAccessKey the secret the client signs with
 * @param principal who the key belongs to; returned on successful verification and used for
 *     authorization and as {@code principal()} in rules
 * @param sessionToken for temporary credentials (e.g. issued by the credentials provider): the
 *     token the request must carry as {@code X-Amz-Security-Token}; null for long-term keys, which
 *     must then carry no token
 * @param expiration for temporary credentials: when they stop working; null for long-term keys
 */
public record SecretKey(
    String secretAccessKey, String principal, String sessionToken, Instant expiration) {

  public SecretKey {
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(principal, "principal");
  }

  /** A long-term key. */
  public SecretKey(String secretAccessKey, String principal) {
    this(secretAccessKey, principal, null, null);
  }

  public Optional<String> sessionTokenIfAny() {
    return Optional.ofNullable(sessionToken);
  }

  @Override
  public String toString() {
    // Never let the secret reach a log line.
    return "SecretKey[principal="
        + principal
        + ", temporary="
        + (sessionToken != null)
        + ", expiration="
        + expiration
        + "]";
  }
}
