package io.pylon.http.sigv4;

import io.pylon.http.sigv4.SigV4Canonical.Param;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Signs requests with AWS Signature Version 4, in the header form and as presigned URLs.
 *
 * <p>For Pylon's own clients (tests, {@code pylon} CLI tools, the HTTP rule action with SigV4).
 * Produces what botocore and the AWS CRT produce for the same input, and what {@link SigV4Verifier}
 * accepts. Stateless and thread-safe; time is always passed in.
 */
public final class SigV4Signer {

  /** Where a presigned URL carries {@code X-Amz-Security-Token}. */
  public enum SessionTokenPlacement {
    /** Inside the canonical query, as general SigV4 prescribes. */
    SIGNED,
    /**
     * Appended after signing, as AWS IoT asks for the MQTT WebSocket and the Device SDKs do ({@code
     * omit_session_token}):
     * https://docs.aws.amazon.com/iot/latest/developerguide/iam-users-groups-roles.html
     */
    APPENDED_AFTER_SIGNING
  }

  /**
   * Never signed: botocore's list ({@code expect}, {@code user-agent}, {@code x-amzn-trace-id})
   * plus the hop-by-hop and WebSocket handshake headers aws-c-auth skips, which proxies and HTTP
   * stacks are free to rewrite.
   */
  private static final Set<String> UNSIGNED_HEADERS =
      Set.of(
          "authorization",
          "expect",
          "user-agent",
          "x-amzn-trace-id",
          "connection",
          "upgrade",
          "transfer-encoding",
          "sec-websocket-key",
          "sec-websocket-protocol",
          "sec-websocket-version",
          "sec-websocket-extensions");

  /**
   * Signs in the header form: sets {@code X-Amz-Date}, {@code X-Amz-Security-Token} for temporary
   * credentials and {@code Authorization}. Every other header given is signed, so pass only headers
   * that will be sent unchanged; {@code host} is required. When {@code headers} holds {@code
   * x-amz-content-sha256} its value is the signed payload hash, as with botocore.
   *
   * @param rawPath the path as it will be sent, already percent-encoded
   * @param rawQuery the query as it will be sent, already encoded, without {@code ?} (may be empty)
   */
  public SignedRequest sign(
      String method,
      String rawPath,
      String rawQuery,
      SigV4Headers headers,
      byte[] body,
      AwsCredentials credentials,
      String region,
      String service,
      Instant now) {
    return sign(
        SigV4Request.of(method, rawPath, rawQuery, headers, body),
        credentials,
        region,
        service,
        now);
  }

  /**
   * As {@link #sign(String, String, String, SigV4Headers, byte[], AwsCredentials, String, String,
   * Instant)}, body given by its hash.
   */
  public SignedRequest sign(
      SigV4Request request,
      AwsCredentials credentials,
      String region,
      String service,
      Instant now) {
    Objects.requireNonNull(credentials, "credentials");
    requireScopePart(region, "region");
    requireScopePart(service, "service");
    if (!request.headers().contains("host")) {
      throw new IllegalArgumentException("a Host header is required: SigV4 always signs it");
    }
    String amzDate = SigV4Canonical.formatAmzDate(now);
    String date = amzDate.substring(0, 8);

    SigV4Headers.Builder builder =
        request.headers().toBuilder().remove("authorization").set("X-Amz-Date", amzDate);
    if (credentials.sessionToken() != null) {
      builder.set("X-Amz-Security-Token", credentials.sessionToken());
    }
    SigV4Headers toSign = builder.build();

    TreeSet<String> names = new TreeSet<>(toSign.names());
    names.removeAll(UNSIGNED_HEADERS);
    List<String> signedNames = List.copyOf(names);
    String signedHeaders = String.join(";", signedNames);
    String payloadHash =
        toSign.first("x-amz-content-sha256").map(String::trim).orElse(request.bodySha256());

    String canonicalRequest =
        SigV4Canonical.canonicalRequest(
            request.method(),
            SigV4Canonical.canonicalUri(request.rawPath()),
            SigV4Canonical.canonicalQuery(SigV4Canonical.parseQuery(request.rawQuery())),
            SigV4Canonical.canonicalHeaders(toSign, signedNames),
            signedHeaders,
            payloadHash);
    String scope = SigV4Canonical.credentialScope(date, region, service);
    String stringToSign = SigV4Canonical.stringToSign(amzDate, scope, canonicalRequest);
    String signature =
        SigV4Canonical.signature(
            SigV4Canonical.signingKey(credentials.secretAccessKey(), date, region, service),
            stringToSign);

    String authorization =
        SigV4Canonical.ALGORITHM
            + " Credential="
            + credentials.accessKeyId()
            + '/'
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature;
    SigV4Headers signed = toSign.toBuilder().add("Authorization", authorization).build();
    return new SignedRequest(signed, authorization, signature, canonicalRequest, stringToSign);
  }

  /**
   * A presigned URL ({@code X-Amz-*} query parameters, only {@code host} signed, payload hash of
   * the empty body).
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#add-signature-to-request
   *
   * @param host host header value, with the port when it is not the scheme's default
   * @param rawPath path, already percent-encoded
   * @param rawQuery further query parameters, already encoded (may be empty)
   * @param expires validity ({@code X-Amz-Expires}, 1 s .. 7 days); null to omit the parameter, as
   *     the AWS CRT does for WebSocket handshakes
   */
  public String presign(
      String method,
      String scheme,
      String host,
      String rawPath,
      String rawQuery,
      AwsCredentials credentials,
      String region,
      String service,
      Instant now,
      Duration expires,
      SessionTokenPlacement tokenPlacement) {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tokenPlacement, "tokenPlacement");
    requireScopePart(region, "region");
    requireScopePart(service, "service");
    if (expires != null
        && (expires.getSeconds() < 1
            || expires.getSeconds() > SigV4Verifier.MAX_EXPIRES_SECONDS
            || expires.getNano() != 0)) {
      throw new IllegalArgumentException("expires must be whole seconds between 1 s and 7 days");
    }
    String amzDate = SigV4Canonical.formatAmzDate(now);
    String date = amzDate.substring(0, 8);
    String scope = SigV4Canonical.credentialScope(date, region, service);

    List<Param> authParams = new ArrayList<>();
    authParams.add(encoded("X-Amz-Algorithm", SigV4Canonical.ALGORITHM));
    authParams.add(encoded("X-Amz-Credential", credentials.accessKeyId() + '/' + scope));
    authParams.add(encoded("X-Amz-Date", amzDate));
    if (expires != null) {
      authParams.add(encoded("X-Amz-Expires", Long.toString(expires.getSeconds())));
    }
    authParams.add(encoded("X-Amz-SignedHeaders", "host"));
    boolean hasToken = credentials.sessionToken() != null;
    if (hasToken && tokenPlacement == SessionTokenPlacement.SIGNED) {
      authParams.add(encoded("X-Amz-Security-Token", credentials.sessionToken()));
    }

    List<Param> all = new ArrayList<>(SigV4Canonical.parseQuery(rawQuery));
    all.addAll(authParams);
    String canonicalRequest =
        SigV4Canonical.canonicalRequest(
            method,
            SigV4Canonical.canonicalUri(rawPath),
            SigV4Canonical.canonicalQuery(all),
            "host:" + SigV4Canonical.trimAll(host) + '\n',
            "host",
            SigV4Request.EMPTY_BODY_SHA256);
    String stringToSign = SigV4Canonical.stringToSign(amzDate, scope, canonicalRequest);
    String signature =
        SigV4Canonical.signature(
            SigV4Canonical.signingKey(credentials.secretAccessKey(), date, region, service),
            stringToSign);

    StringBuilder url =
        new StringBuilder(scheme)
            .append("://")
            .append(host)
            .append(rawPath.isEmpty() ? "/" : rawPath)
            .append('?');
    if (rawQuery != null && !rawQuery.isEmpty()) {
      url.append(rawQuery).append('&');
    }
    for (Param p : authParams) {
      url.append(p.rawKey()).append('=').append(p.rawValue()).append('&');
    }
    url.append("X-Amz-Signature=").append(signature);
    if (hasToken && tokenPlacement == SessionTokenPlacement.APPENDED_AFTER_SIGNING) {
      url.append("&X-Amz-Security-Token=")
          .append(SigV4Canonical.uriEncode(credentials.sessionToken(), false));
    }
    return url.toString();
  }

  /**
   * The URL for MQTT over WebSocket, signed as the AWS IoT Device SDKs sign it: {@code GET}, scheme
   * {@code wss}, session token appended after signing.
   *
   * @param path normally {@code /mqtt}
   * @param service normally {@code iotdevicegateway}
   * @param expires null to omit {@code X-Amz-Expires} (Device SDK v2 behaviour)
   */
  public String presignWebSocketUrl(
      String host,
      String path,
      String region,
      String service,
      AwsCredentials credentials,
      Instant now,
      Duration expires) {
    return presign(
        "GET",
        "wss",
        host,
        path,
        "",
        credentials,
        region,
        service,
        now,
        expires,
        SessionTokenPlacement.APPENDED_AFTER_SIGNING);
  }

  private static Param encoded(String key, String value) {
    return new Param(key, SigV4Canonical.uriEncode(value, false));
  }

  private static void requireScopePart(String value, String what) {
    if (value == null || value.isEmpty() || value.contains("/")) {
      throw new IllegalArgumentException(what + " must be non-empty and contain no '/'");
    }
  }

  /**
   * A request signed in the header form.
   *
   * @param headers the headers to send: the input plus {@code X-Amz-Date}, {@code
   *     X-Amz-Security-Token} (temporary credentials) and {@code Authorization}
   * @param canonicalRequest for debugging; contains no secret
   * @param stringToSign for debugging; contains no secret
   */
  public record SignedRequest(
      SigV4Headers headers,
      String authorization,
      String signature,
      String canonicalRequest,
      String stringToSign) {}
}
