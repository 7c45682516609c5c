package io.pylon.domain.shadow;

import io.pylon.domain.error.DomainException;
import java.util.Optional;

/**
 * A shadow request refused, as the Device Shadow service reports it: an HTTP-like {@code code}
 * (400, 401, 403, 404, 409, 413, 429, 500) and AWS's message text. On MQTT it becomes the {@code
 * /rejected} payload; on REST the status and the same body.
 */
public final class ShadowException extends DomainException {

  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int CONFLICT = 409;
  public static final int TOO_LARGE = 413;
  public static final int UNSUPPORTED_ENCODING = 415;
  public static final int THROTTLED = 429;
  public static final int INTERNAL = 500;

  private final int code;
  private final Optional<String> clientToken;

  public ShadowException(int code, String message) {
    this(code, message, Optional.empty());
  }

  public ShadowException(int code, String message, Optional<String> clientToken) {
    super(message);
    this.code = code;
    this.clientToken = clientToken;
  }

  /** The same refusal, answering a request that carried {@code token}. */
  public ShadowException withClientToken(Optional<String> token) {
    return token.isEmpty() || clientToken.isPresent()
        ? this
        : new ShadowException(code, getMessage(), token);
  }

  public int code() {
    return code;
  }

  public Optional<String> clientToken() {
    return clientToken;
  }

  /** The iot-data error shape this code becomes on REST. */
  public String errorType() {
    switch (code) {
      case BAD_REQUEST:
        return "InvalidRequestException";
      case UNAUTHORIZED:
        return "UnauthorizedException";
      case FORBIDDEN:
        return "ForbiddenException";
      case NOT_FOUND:
        return "ResourceNotFoundException";
      case CONFLICT:
        return "ConflictException";
      case TOO_LARGE:
        return "RequestEntityTooLargeException";
      case UNSUPPORTED_ENCODING:
        return "UnsupportedDocumentEncodingException";
      case THROTTLED:
        return "ThrottlingException";
      default:
        return "InternalFailureException";
    }
  }
}
