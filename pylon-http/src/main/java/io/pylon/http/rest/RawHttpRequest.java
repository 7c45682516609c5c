package io.pylon.http.rest;

import io.pylon.http.sigv4.SigV4Headers;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as it arrived, before routing: what the server edge hands to {@link RestRouter}.
 *
 * @param method the request method
 * @param target the request target exactly as on the request line ({@code /topics/a%2Fb?qos=1}),
 *     never decoded or normalised, since both routing and SigV4 work on those bytes
 * @param headers the headers as received
 * @param body the body as received
 * @param clientCertificateId SHA-256 hex of the TLS client certificate's DER encoding, if the
 *     connection presented one (its chain was already verified by TLS)
 */
public record RawHttpRequest(
    String method,
    String target,
    SigV4Headers headers,
    byte[] body,
    Optional<String> clientCertificateId) {

  public RawHttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(headers, "headers");
    body = body == null ? new byte[0] : body;
    Objects.requireNonNull(clientCertificateId, "clientCertificateId");
  }
}
