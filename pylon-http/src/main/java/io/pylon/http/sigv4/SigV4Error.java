package io.pylon.http.sigv4;

/**
 * Why a request failed SigV4 verification, with the error code AWS's front door puts in {@code
 * x-amzn-ErrorType} / {@code __type} and the HTTP status it answers with.
 *
 * <p>Several constants share a wire code on purpose: AWS reports a bad signature, a bad credential
 * scope and a stale timestamp all as {@code InvalidSignatureException}, but callers (metrics, logs,
 * tests) want to tell them apart. Where each code and message was confirmed is listed in
 * pylon-http/README.md ("SigV4").
 */
public enum SigV4Error {

  /**
   * No {@code Authorization} header and no {@code X-Amz-*} signature parameters. Message "Missing
   * Authentication Token".
   */
  MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 403),

  /** An {@code Authorization} header or presigned query that cannot be parsed or lacks parts. */
  INCOMPLETE_SIGNATURE("IncompleteSignatureException", 403),

  /** Well-formed, but the signature (or the signed payload hash) does not match. */
  SIGNATURE_DOES_NOT_MATCH("InvalidSignatureException", 403),

  /**
   * The credential scope names another service, a bad terminator, or a date other than the
   * request's.
   */
  INVALID_CREDENTIAL_SCOPE("InvalidSignatureException", 403),

  /**
   * The request time is outside the allowed clock skew, or a presigned URL is past {@code
   * X-Amz-Expires}.
   */
  SIGNATURE_EXPIRED("InvalidSignatureException", 403),

  /** Unknown access key, or a session token that does not belong to it. */
  UNRECOGNIZED_CLIENT("UnrecognizedClientException", 403),

  /** Temporary credentials past their expiration. */
  EXPIRED_TOKEN("ExpiredTokenException", 403);

  private final String awsErrorCode;
  private final int httpStatus;

  SigV4Error(String awsErrorCode, int httpStatus) {
    this.awsErrorCode = awsErrorCode;
    this.httpStatus = httpStatus;
  }

  /** The error code for {@code x-amzn-ErrorType} and the body's {@code __type}. */
  public String awsErrorCode() {
    return awsErrorCode;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
