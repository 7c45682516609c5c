package io.pylon.http.sigv4;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Outcome of {@link SigV4Verifier#verify(SigV4Request)}. */
public sealed interface VerificationResult
    permits VerificationResult.Verified, VerificationResult.Rejected {

  boolean verified();

  /** Where the client put its signature. */
  enum AuthLocation {
    /** {@code Authorization: AWS4-HMAC-SHA256 ...} header. */
    HEADER,
    /** Presigned URL ({@code X-Amz-Signature} query parameter), e.g. the MQTT WebSocket upgrade. */
    QUERY_STRING
  }

  /**
   * The request was signed with the secret of {@code accessKeyId}.
   *
   * @param region region from the credential scope (any region is accepted)
   * @param service signing name from the credential scope, one of the verifier's accepted services
   * @param principal {@link SecretKey#principal()} of the key
   * @param signedAt the request's {@code X-Amz-Date} (or {@code Date})
   * @param sessionToken the {@code X-Amz-Security-Token} presented, or null
   * @param expiresAt for presigned URLs with {@code X-Amz-Expires}: end of validity, else null
   */
  record Verified(
      String accessKeyId,
      String region,
      String service,
      String principal,
      Instant signedAt,
      AuthLocation location,
      String sessionToken,
      Instant expiresAt)
      implements VerificationResult {

    public Verified {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(signedAt, "signedAt");
      Objects.requireNonNull(location, "location");
    }

    @Override
    public boolean verified() {
      return true;
    }

    public Optional<String> sessionTokenIfAny() {
      return Optional.ofNullable(sessionToken);
    }

    @Override
    public String toString() {
      return "Verified[accessKeyId="
          + accessKeyId
          + ", region="
          + region
          + ", service="
          + service
          + ", principal="
          + principal
          + ", signedAt="
          + signedAt
          + ", location="
          + location
          + ", temporary="
          + (sessionToken != null)
          + ", expiresAt="
          + expiresAt
          + "]";
    }
  }

  /**
   * The request is not authenticated.
   *
   * @param message AWS's message for this failure, for the body's {@code message}
   * @param canonicalRequest for {@link SigV4Error#SIGNATURE_DOES_NOT_MATCH}: the canonical request
   *     the server computed (null otherwise)
   * @param stringToSign likewise, the string to sign
   */
  record Rejected(SigV4Error error, String message, String canonicalRequest, String stringToSign)
      implements VerificationResult {

    public Rejected {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(message, "message");
    }

    Rejected(SigV4Error error, String message) {
      this(error, message, null, null);
    }

    @Override
    public boolean verified() {
      return false;
    }

    /** {@code x-amzn-ErrorType} / {@code __type} value. */
    public String errorCode() {
      return error.awsErrorCode();
    }

    public int httpStatus() {
      return error.httpStatus();
    }

    /**
     * The message with the server's canonical request and string to sign appended, in the layout
     * AWS's API front door uses for signature mismatches, so a client author can diff them against
     * their own. Neither contains a secret.
     */
    public String detailedMessage() {
      if (canonicalRequest == null) {
        return message;
      }
      return message
          + "\n\nThe Canonical String for this request should have been\n'"
          + canonicalRequest
          + "'\n\nThe String-to-Sign should have been\n'"
          + stringToSign
          + "'\n";
    }
  }
}
