package io.pylon.http.sigv4;

import java.util.Objects;

/**
 * What the verifier needs of an HTTP request, in server-neutral form.
 *
 * @param method request method as received ({@code GET}, {@code POST}, ...)
 * @param rawPath path exactly as on the request line, still percent-encoded ({@code
 *     /things/my%3Athing}); never decoded or normalised by the caller, because the canonical URI is
 *     computed from these bytes
 * @param rawQuery query string as on the request line without the {@code ?}, still encoded; empty
 *     when there is none
 * @param headers request headers as received
 * @param bodySha256 lower-case hex SHA-256 of the request body as received (of the empty string for
 *     requests without a body). When the client sends {@code x-amz-content-sha256} the verifier
 *     signs with that header's value, as AWS does, and checks it against this hash unless it is
 *     {@code UNSIGNED-PAYLOAD}.
 */
public record SigV4Request(
    String method, String rawPath, String rawQuery, SigV4Headers headers, String bodySha256) {

  /** SHA-256 of the empty body, the payload hash of every GET and of the WebSocket upgrade. */
  public static final String EMPTY_BODY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  public SigV4Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    rawQuery = rawQuery == null ? "" : rawQuery;
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(bodySha256, "bodySha256");
    if (!SigV4Canonical.isLowerHexSha256(bodySha256)) {
      throw new IllegalArgumentException("bodySha256 must be 64 lower-case hex digits");
    }
  }

  /** A request whose body is given as bytes (hashed here). */
  public static SigV4Request of(
      String method, String rawPath, String rawQuery, SigV4Headers headers, byte[] body) {
    String hash =
        body == null || body.length == 0 ? EMPTY_BODY_SHA256 : SigV4Canonical.sha256Hex(body);
    return new SigV4Request(method, rawPath, rawQuery, headers, hash);
  }

  /**
   * A request from its request-line target ({@code /mqtt?X-Amz-Algorithm=...}, what Netty's {@code
   * HttpRequest.uri()} returns). An absolute-form target ({@code https://host/path?q}) is reduced
   * to its path and query; a fragment is dropped.
   */
  public static SigV4Request fromRequestTarget(
      String method, String requestTarget, SigV4Headers headers, byte[] body) {
    String target = requestTarget;
    int scheme = target.indexOf("://");
    if (scheme > 0 && target.indexOf('/') > scheme) {
      int pathStart = target.indexOf('/', scheme + 3);
      target = pathStart < 0 ? "/" : target.substring(pathStart);
    }
    int hash = target.indexOf('#');
    if (hash >= 0) {
      target = target.substring(0, hash);
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    return of(method, path, query, headers, body);
  }
}
