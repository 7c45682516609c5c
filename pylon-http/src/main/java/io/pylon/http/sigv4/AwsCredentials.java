package io.pylon.http.sigv4;

import java.util.Objects;

/**
 * Client-side credentials for {@link SigV4Signer}.
 *
 * @param sessionToken null for long-term keys
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

  public AwsCredentials {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (accessKeyId.isEmpty() || accessKeyId.contains("/")) {
      throw new IllegalArgumentException("access key id must be non-empty and contain no '/'");
    }
  }

  public AwsCredentials(String accessKeyId, String secretAccessKey) {
    this(accessKeyId, secretAccessKey, null);
  }

  @Override
  public String toString() {
    return "AwsCredentials[accessKeyId="
        + accessKeyId
        + ", temporary="
        + (sessionToken != null)
        + "]";
  }
}
