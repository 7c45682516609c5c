package io.pylon.server.rules.outbound;

import java.util.Objects;
import java.util.OptionalInt;

/** How an {@link OutboundRequest} ended: exactly one result per {@link OutboundHttp#send}. */
public sealed interface OutboundResult permits OutboundResult.Delivered, OutboundResult.Failed {

  /** HTTP requests actually sent for this delivery, retries included (0 if none was sent). */
  int attempts();

  /** The peer answered 2xx. */
  record Delivered(int status, int attempts) implements OutboundResult {}

  /**
   * Not delivered, and no retry left.
   *
   * @param errorMessage for an operator: goes into the error action's {@code
   *     failures[].errorMessage}, e.g. {@code HTTP 503 from https://host/path after 3 attempts}.
   *     Never contains the URL's query string or user info, which may hold secrets.
   * @param status the last HTTP status received, if any
   */
  record Failed(String errorMessage, Reason reason, OptionalInt status, int attempts)
      implements OutboundResult {

    public Failed {
      Objects.requireNonNull(errorMessage, "errorMessage");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(status, "status");
    }
  }

  /** Why a request failed; also the {@code reason} tag of the failure metric. */
  enum Reason {
    /** A status other than 2xx, after the retries it allowed. */
    HTTP_STATUS,
    /** No complete response within the request timeout. */
    TIMEOUT,
    /** Connecting failed, or the peer closed or reset the connection. */
    CONNECTION,
    /** The TLS handshake failed (untrusted certificate, wrong host name, no common protocol). */
    TLS,
    /** Dropped on arrival: the queue was full. Counted as a drop, not as a failure. */
    QUEUE_FULL,
    /** {@link OutboundHttp#close()} was called before the request completed. */
    CLOSED,
    /** The request could not be built (bad URI scheme, illegal header name or value). */
    INVALID_REQUEST;

    /** Metric tag value. */
    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
