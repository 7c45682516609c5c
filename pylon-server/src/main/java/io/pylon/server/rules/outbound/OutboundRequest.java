package io.pylon.server.rules.outbound;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request for {@link OutboundHttp#send}, already resolved: substitution templates evaluated,
 * headers chosen by the caller.
 *
 * <p>{@code Host}, {@code Connection}, {@code Content-Length}, {@code Expect} and {@code Upgrade}
 * are owned by the HTTP client and ignored here. A non-empty body without {@code Content-Type} is
 * sent as {@code application/octet-stream}; the http action's JSON default is the caller's choice.
 *
 * @param method e.g. {@code POST}
 * @param uri absolute {@code http} or {@code https} URI, sent with its raw (encoded) path and query
 * @param headers in order; repeated names are sent repeatedly
 * @param body may be empty, never null
 */
public record OutboundRequest(
    String method,
    URI uri,
    List<Map.Entry<String, String>> headers,
    byte[] body,
    Optional<SigV4Signing> signing) {

  public OutboundRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    headers = List.copyOf(headers);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(signing, "signing");
  }

  /** An unsigned POST. */
  public static OutboundRequest post(
      URI uri, List<Map.Entry<String, String>> headers, byte[] body) {
    return new OutboundRequest("POST", uri, headers, body, Optional.empty());
  }
}
