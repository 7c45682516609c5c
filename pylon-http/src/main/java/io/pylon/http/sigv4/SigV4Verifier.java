package io.pylon.http.sigv4;

import io.pylon.http.sigv4.SigV4Canonical.Param;
import io.pylon.http.sigv4.VerificationResult.AuthLocation;
import io.pylon.http.sigv4.VerificationResult.Rejected;
import io.pylon.http.sigv4.VerificationResult.Verified;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}) on a {@link SigV4Request}, in both
 * places a client can put it: the {@code Authorization} header and the presigned query string.
 *
 * <p>Stateless apart from its configuration and safe to share between threads. Knows nothing of any
 * HTTP server: the REST API and the MQTT-over-WebSocket upgrade both hand it plain values.
 *
 * <p>Deliberate tolerances, each of which accepts only requests whose signature still covers the
 * bytes that were sent:
 *
 * <ul>
 *   <li>A presigned {@code X-Amz-Security-Token} may be inside or outside the signed query: AWS IoT
 *       asks clients to append it after signing (the Device SDKs do), other SigV4 clients sign it.
 *   <li>The canonical query is tried as AWS builds it (decoded, re-encoded, sorted) and, if the
 *       client left characters unencoded, as botocore builds it from such a URL (sorted, as sent).
 *   <li>{@code X-Amz-Expires} is honoured (up to the SigV4 maximum of 7 days) when present; when
 *       absent, as in URLs from the AWS CRT, the clock-skew window applies.
 * </ul>
 */
public final class SigV4Verifier {

  /** AWS rejects requests more than 5 minutes off its clock. */
  public static final Duration DEFAULT_ALLOWED_SKEW = Duration.ofMinutes(5);

  /** Signing keys are scoped to a day and valid for at most 7 days, hence the presigning cap. */
  static final long MAX_EXPIRES_SECONDS = 604_800;

  static final String MISSING_AUTHENTICATION_TOKEN_MESSAGE = "Missing Authentication Token";
  static final String SIGNATURE_MISMATCH_MESSAGE =
      "The request signature we calculated does not match the "
          + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
          + "documentation for details.";
  static final String INVALID_TOKEN_MESSAGE =
      "The security token included in the request is invalid.";
  static final String EXPIRED_TOKEN_MESSAGE =
      "The security token included in the request is expired";

  private static final String X_AMZ_ALGORITHM = "X-Amz-Algorithm";
  private static final String X_AMZ_CREDENTIAL = "X-Amz-Credential";
  private static final String X_AMZ_DATE = "X-Amz-Date";
  private static final String X_AMZ_EXPIRES = "X-Amz-Expires";
  private static final String X_AMZ_SIGNED_HEADERS = "X-Amz-SignedHeaders";
  private static final String X_AMZ_SIGNATURE = "X-Amz-Signature";
  private static final String X_AMZ_SECURITY_TOKEN = "X-Amz-Security-Token";

  private final CredentialStore credentials;
  private final Clock clock;
  private final Duration allowedSkew;
  private final Set<String> acceptedServices;

  /** A verifier with the AWS default skew of {@link #DEFAULT_ALLOWED_SKEW}. */
  public SigV4Verifier(CredentialStore credentials, Clock clock, Set<String> acceptedServices) {
    this(credentials, clock, DEFAULT_ALLOWED_SKEW, acceptedServices);
  }

  /**
   * @param acceptedServices signing names accepted in the credential scope, e.g. {@code iot} and
   *     {@code execute-api} for the control plane (botocore switched from the latter to the
   *     former), {@code iotdevicegateway} for the WebSocket. The first in iteration order is the
   *     one named in the "scoped to correct service" error.
   */
  public SigV4Verifier(
      CredentialStore credentials,
      Clock clock,
      Duration allowedSkew,
      Set<String> acceptedServices) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.allowedSkew = Objects.requireNonNull(allowedSkew, "allowedSkew");
    if (allowedSkew.isNegative()) {
      throw new IllegalArgumentException("allowedSkew must not be negative");
    }
    if (acceptedServices.isEmpty()) {
      throw new IllegalArgumentException("at least one service must be accepted");
    }
    this.acceptedServices = new LinkedHashSet<>(acceptedServices);
  }

  public Set<String> acceptedServices() {
    return Set.copyOf(acceptedServices);
  }

  public Duration allowedSkew() {
    return allowedSkew;
  }

  public VerificationResult verify(SigV4Request request) {
    List<Param> query = SigV4Canonical.parseQuery(request.rawQuery());
    Optional<String> authorization = request.headers().first("authorization");
    Parsed parsed;
    if (authorization.isPresent()) {
      parsed = parseHeaderClaim(authorization.get(), request.headers());
    } else if (hasQueryParam(query, X_AMZ_ALGORITHM)
        || hasQueryParam(query, X_AMZ_CREDENTIAL)
        || hasQueryParam(query, X_AMZ_SIGNATURE)
        || hasQueryParam(query, X_AMZ_SIGNED_HEADERS)) {
      parsed = parseQueryClaim(query);
    } else {
      return new Rejected(
          SigV4Error.MISSING_AUTHENTICATION_TOKEN, MISSING_AUTHENTICATION_TOKEN_MESSAGE);
    }
    if (parsed instanceof ParseFailure failure) {
      return failure.rejected();
    }
    return verifyClaim((Claim) parsed, request, query);
  }

  // ------------------------------------------------------------------------------------ parsing

  private sealed interface Parsed permits Claim, ParseFailure {}

  private record ParseFailure(Rejected rejected) implements Parsed {
    ParseFailure(SigV4Error error, String message) {
      this(new Rejected(error, message));
    }
  }

  /** What the client claims; everything but the signature check itself is decided from this. */
  private record Claim(
      AuthLocation location,
      String accessKeyId,
      String scopeDate,
      String region,
      String service,
      String terminator,
      List<String> signedHeaders,
      String signature,
      String amzDate,
      Instant signedAt,
      Long expiresSeconds,
      String sessionToken)
      implements Parsed {}

  /**
   * Parses {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#add-signature-to-request
   */
  private static Parsed parseHeaderClaim(String header, SigV4Headers headers) {
    String value = header.trim();
    int space = indexOfWhitespace(value);
    String algorithm = space < 0 ? value : value.substring(0, space);
    String rest = space < 0 ? "" : value.substring(space + 1);
    if (!algorithm.equals(SigV4Canonical.ALGORITHM)) {
      if (algorithm.startsWith("AWS4-")) {
        return new ParseFailure(
            SigV4Error.INCOMPLETE_SIGNATURE, "Unsupported AWS 'algorithm': '" + algorithm + "'.");
      }
      rest = ""; // another scheme (Bearer, Basic, SigV2): none of the SigV4 parts is there
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : rest.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        return new ParseFailure(
            SigV4Error.INCOMPLETE_SIGNATURE,
            "'"
                + p
                + "' not a valid key=value pair (missing equal-sign) in Authorization header: '"
                + header
                + "'.");
      }
      String k = p.substring(0, eq).trim();
      String v = p.substring(eq + 1).trim();
      switch (k) {
        case "Credential" -> credential = v;
        case "SignedHeaders" -> signedHeaders = v;
        case "Signature" -> signature = v;
        default -> {} // AWS ignores parameters it does not know
      }
    }
    Optional<String> amzDateHeader = headers.first("x-amz-date");
    Optional<String> dateHeader = headers.first("date");
    StringBuilder missing = new StringBuilder();
    if (credential == null) {
      missing.append("Authorization header requires 'Credential' parameter. ");
    }
    if (signature == null) {
      missing.append("Authorization header requires 'Signature' parameter. ");
    }
    if (signedHeaders == null) {
      missing.append("Authorization header requires 'SignedHeaders' parameter. ");
    }
    if (amzDateHeader.isEmpty() && dateHeader.isEmpty()) {
      missing.append(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
    }
    if (missing.length() > 0) {
      return new ParseFailure(SigV4Error.INCOMPLETE_SIGNATURE, missing + "Authorization=" + header);
    }

    // https://docs.aws.amazon.com/general/latest/gr/sigv4-date-handling.html: X-Amz-Date first,
    // then Date.
    String amzDate;
    Instant signedAt;
    if (amzDateHeader.isPresent()) {
      amzDate = amzDateHeader.get().trim();
      signedAt = SigV4Canonical.parseAmzDate(amzDate);
    } else {
      signedAt = SigV4Canonical.parseHttpDate(dateHeader.get());
      amzDate = signedAt == null ? dateHeader.get().trim() : SigV4Canonical.formatAmzDate(signedAt);
    }
    if (signedAt == null) {
      return invalidDate(amzDate);
    }
    String token = headers.first("x-amz-security-token").map(String::trim).orElse(null);
    return claim(
        AuthLocation.HEADER, credential, signedHeaders, signature, amzDate, signedAt, null, token);
  }

  /**
   * Parses a presigned URL's {@code X-Amz-*} parameters.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#add-signature-to-request
   */
  private static Parsed parseQueryClaim(List<Param> query) {
    String algorithm = queryParam(query, X_AMZ_ALGORITHM);
    String credential = queryParam(query, X_AMZ_CREDENTIAL);
    String signature = queryParam(query, X_AMZ_SIGNATURE);
    String signedHeaders = queryParam(query, X_AMZ_SIGNED_HEADERS);
    String amzDate = queryParam(query, X_AMZ_DATE);
    StringBuilder missing = new StringBuilder();
    for (String[] required :
        new String[][] {
          {X_AMZ_ALGORITHM, algorithm},
          {X_AMZ_CREDENTIAL, credential},
          {X_AMZ_SIGNATURE, signature},
          {X_AMZ_SIGNED_HEADERS, signedHeaders},
          {X_AMZ_DATE, amzDate}
        }) {
      if (required[1] == null) {
        missing
            .append("AWS query-string parameters must include '")
            .append(required[0])
            .append("'. ");
      }
    }
    if (missing.length() > 0) {
      return new ParseFailure(
          SigV4Error.INCOMPLETE_SIGNATURE, missing + "Re-examine the query-string parameters.");
    }
    if (!algorithm.equals(SigV4Canonical.ALGORITHM)) {
      return new ParseFailure(
          SigV4Error.INCOMPLETE_SIGNATURE, "Unsupported AWS 'algorithm': '" + algorithm + "'.");
    }
    Instant signedAt = SigV4Canonical.parseAmzDate(amzDate);
    if (signedAt == null) {
      return invalidDate(amzDate);
    }
    Long expires = null;
    String expiresText = queryParam(query, X_AMZ_EXPIRES);
    if (expiresText != null) {
      try {
        expires = Long.parseLong(expiresText.trim());
      } catch (NumberFormatException e) {
        return new ParseFailure(
            SigV4Error.INCOMPLETE_SIGNATURE, "X-Amz-Expires should be a number");
      }
      if (expires < 0) {
        return new ParseFailure(
            SigV4Error.INCOMPLETE_SIGNATURE, "X-Amz-Expires must be non-negative");
      }
      if (expires > MAX_EXPIRES_SECONDS) {
        return new ParseFailure(
            SigV4Error.INCOMPLETE_SIGNATURE,
            "X-Amz-Expires must be less than a week (in seconds) that is 604800");
      }
    }
    String token = queryParam(query, X_AMZ_SECURITY_TOKEN);
    return claim(
        AuthLocation.QUERY_STRING,
        credential,
        signedHeaders,
        signature,
        amzDate,
        signedAt,
        expires,
        token);
  }

  private static Parsed claim(
      AuthLocation location,
      String credential,
      String signedHeaders,
      String signature,
      String amzDate,
      Instant signedAt,
      Long expires,
      String token) {
    String[] scope = credential.split("/", -1);
    if (scope.length != 5) {
      return new ParseFailure(
          SigV4Error.INCOMPLETE_SIGNATURE,
          "Credential must have exactly 5 slash-delimited "
              + "elements, e.g. keyid/date/region/service/term, got '"
              + credential
              + "'");
    }
    TreeSet<String> names = new TreeSet<>();
    for (String name : signedHeaders.split(";")) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (!n.isEmpty()) {
        names.add(n);
      }
    }
    if (!names.contains("host")) {
      return new ParseFailure(
          SigV4Error.INCOMPLETE_SIGNATURE,
          "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }
    return new Claim(
        location,
        scope[0],
        scope[1],
        scope[2],
        scope[3],
        scope[4],
        List.copyOf(names),
        signature.trim().toLowerCase(Locale.ROOT),
        amzDate,
        signedAt,
        expires,
        token);
  }

  private static ParseFailure invalidDate(String text) {
    return new ParseFailure(
        SigV4Error.INCOMPLETE_SIGNATURE,
        "Date must be in ISO-8601 'basic format'. Got '"
            + text
            + "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }

  // ------------------------------------------------------------------------------------ checks

  private VerificationResult verifyClaim(Claim claim, SigV4Request request, List<Param> query) {
    Rejected scopeProblem = checkScope(claim);
    if (scopeProblem != null) {
      return scopeProblem;
    }
    Optional<SecretKey> found =
        claim.accessKeyId().isEmpty()
            ? Optional.empty()
            : credentials.secretFor(claim.accessKeyId());
    if (found.isEmpty()) {
      return new Rejected(SigV4Error.UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE);
    }
    SecretKey key = found.get();
    if (!sessionTokenMatches(key, claim.sessionToken())) {
      return new Rejected(SigV4Error.UNRECOGNIZED_CLIENT, INVALID_TOKEN_MESSAGE);
    }
    Instant now = clock.instant();
    if (key.expiration() != null && now.isAfter(key.expiration())) {
      return new Rejected(SigV4Error.EXPIRED_TOKEN, EXPIRED_TOKEN_MESSAGE);
    }
    Rejected timing = checkTime(claim, now);
    if (timing != null) {
      return timing;
    }
    Optional<String> contentSha = request.headers().first("x-amz-content-sha256").map(String::trim);
    Rejected payloadProblem =
        contentSha.map(claimed -> checkContentSha256(claimed, request.bodySha256())).orElse(null);
    if (payloadProblem != null) {
      return payloadProblem;
    }
    // As botocore and AWS: a client-supplied x-amz-content-sha256 is what was signed.
    String payloadHash = contentSha.orElse(request.bodySha256());

    String canonicalUri = SigV4Canonical.canonicalUri(request.rawPath());
    String canonicalHeaders =
        SigV4Canonical.canonicalHeaders(request.headers(), claim.signedHeaders());
    String signedHeaders = String.join(";", claim.signedHeaders());
    String scope =
        SigV4Canonical.credentialScope(claim.scopeDate(), claim.region(), claim.service());
    byte[] signingKey =
        SigV4Canonical.signingKey(
            key.secretAccessKey(), claim.scopeDate(), claim.region(), claim.service());

    String firstCanonical = null;
    String firstStringToSign = null;
    for (String canonicalQuery : canonicalQueryCandidates(claim, query)) {
      String canonicalRequest =
          SigV4Canonical.canonicalRequest(
              request.method(),
              canonicalUri,
              canonicalQuery,
              canonicalHeaders,
              signedHeaders,
              payloadHash);
      String stringToSign = SigV4Canonical.stringToSign(claim.amzDate(), scope, canonicalRequest);
      String expected = SigV4Canonical.signature(signingKey, stringToSign);
      if (SigV4Canonical.constantTimeEquals(expected, claim.signature())) {
        Instant expiresAt =
            claim.expiresSeconds() == null
                ? null
                : claim.signedAt().plusSeconds(claim.expiresSeconds());
        return new Verified(
            claim.accessKeyId(),
            claim.region(),
            claim.service(),
            key.principal(),
            claim.signedAt(),
            claim.location(),
            claim.sessionToken(),
            expiresAt);
      }
      if (firstCanonical == null) {
        firstCanonical = canonicalRequest;
        firstStringToSign = stringToSign;
      }
    }
    return new Rejected(
        SigV4Error.SIGNATURE_DOES_NOT_MATCH,
        SIGNATURE_MISMATCH_MESSAGE,
        firstCanonical,
        firstStringToSign);
  }

  /**
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-string-to-sign
   */
  private Rejected checkScope(Claim claim) {
    if (!claim.terminator().equals(SigV4Canonical.TERMINATOR)) {
      return new Rejected(
          SigV4Error.INVALID_CREDENTIAL_SCOPE,
          "Credential should be scoped with a valid "
              + "terminator: 'aws4_request', not '"
              + claim.terminator()
              + "'. ");
    }
    if (!acceptedServices.contains(claim.service())) {
      return new Rejected(
          SigV4Error.INVALID_CREDENTIAL_SCOPE,
          "Credential should be scoped to correct service: '"
              + acceptedServices.iterator().next()
              + "'. ");
    }
    if (claim.region().isEmpty()) {
      return new Rejected(
          SigV4Error.INVALID_CREDENTIAL_SCOPE,
          "Credential should be scoped to a valid region, not ''. ");
    }
    // https://docs.aws.amazon.com/general/latest/gr/sigv4-date-handling.html
    String requestDay = claim.amzDate().substring(0, 8);
    if (!claim.scopeDate().equals(requestDay)) {
      return new Rejected(
          SigV4Error.INVALID_CREDENTIAL_SCOPE,
          "Date in Credential scope does not match YYYYMMDD "
              + "from ISO-8601 version of date from HTTP: '"
              + claim.scopeDate()
              + "' != '"
              + requestDay
              + "', from '"
              + claim.amzDate()
              + "'.");
    }
    return null;
  }

  /**
   * Temporary credentials are only good with their own token; a long-term key with a token attached
   * is refused too, as AWS refuses a token it did not issue.
   */
  private static boolean sessionTokenMatches(SecretKey key, String presented) {
    if (key.sessionToken() == null) {
      return presented == null;
    }
    return presented != null && SigV4Canonical.constantTimeEquals(key.sessionToken(), presented);
  }

  /**
   * A hex {@code x-amz-content-sha256} must be the body's hash, or a client could sign one body and
   * send another; {@code UNSIGNED-PAYLOAD} is the client's explicit choice not to cover it.
   */
  private static Rejected checkContentSha256(String claimed, String bodySha256) {
    if (claimed.equals(SigV4Canonical.UNSIGNED_PAYLOAD)) {
      return null;
    }
    if (!SigV4Canonical.isLowerHexSha256(claimed.toLowerCase(Locale.ROOT))) {
      return new Rejected(
          SigV4Error.SIGNATURE_DOES_NOT_MATCH,
          "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.");
    }
    if (!claimed.equalsIgnoreCase(bodySha256)) {
      return new Rejected(
          SigV4Error.SIGNATURE_DOES_NOT_MATCH,
          "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    return null;
  }

  /**
   * Header signatures (and presigned URLs without {@code X-Amz-Expires}) must be within the allowed
   * skew of the server clock in either direction; presigned URLs with {@code X-Amz-Expires} are
   * good from (signing time - skew) until signing time + expires. Messages follow AWS's, e.g.
   * "Signature expired: 20240501T120000Z is now earlier than 20240501T120100Z (20240501T120600Z - 5
   * min.)".
   */
  private Rejected checkTime(Claim claim, Instant now) {
    Instant signedAt = claim.signedAt();
    Instant latestAcceptable = now.plus(allowedSkew);
    if (signedAt.isAfter(latestAcceptable)) {
      return new Rejected(
          SigV4Error.SIGNATURE_EXPIRED,
          "Signature not yet current: "
              + claim.amzDate()
              + " is still later than "
              + SigV4Canonical.formatAmzDate(latestAcceptable)
              + " ("
              + SigV4Canonical.formatAmzDate(now)
              + " + "
              + describe(allowedSkew)
              + ")");
    }
    Duration window =
        claim.expiresSeconds() == null ? allowedSkew : Duration.ofSeconds(claim.expiresSeconds());
    Instant earliestAcceptable = now.minus(window);
    if (signedAt.isBefore(earliestAcceptable)) {
      return new Rejected(
          SigV4Error.SIGNATURE_EXPIRED,
          "Signature expired: "
              + claim.amzDate()
              + " is now earlier than "
              + SigV4Canonical.formatAmzDate(earliestAcceptable)
              + " ("
              + SigV4Canonical.formatAmzDate(now)
              + " - "
              + describe(window)
              + ")");
    }
    return null;
  }

  private static String describe(Duration d) {
    long seconds = d.getSeconds();
    return seconds % 60 == 0 ? (seconds / 60) + " min." : seconds + " sec.";
  }

  /**
   * The canonical query strings worth trying, most likely first; the signature is checked against
   * each (all are computed from what was sent, so none widens what a signature covers).
   */
  private static List<String> canonicalQueryCandidates(Claim claim, List<Param> query) {
    List<List<Param>> paramSets = new ArrayList<>();
    if (claim.location() == AuthLocation.HEADER) {
      paramSets.add(query);
    } else {
      // The signature never signs itself.
      List<Param> withoutSignature = new ArrayList<>();
      List<Param> withoutSignatureAndToken = new ArrayList<>();
      for (Param p : query) {
        String key = SigV4Canonical.percentDecode(p.rawKey());
        if (key.equals(X_AMZ_SIGNATURE)) {
          continue;
        }
        withoutSignature.add(p);
        if (!key.equals(X_AMZ_SECURITY_TOKEN)) {
          withoutSignatureAndToken.add(p);
        }
      }
      paramSets.add(withoutSignature);
      if (withoutSignatureAndToken.size() != withoutSignature.size()) {
        // AWS IoT: "do not include X-Amz-Security-Token in the canonical query string ...
        // append [it] after the signature has been computed",
        // https://docs.aws.amazon.com/iot/latest/developerguide/iam-users-groups-roles.html
        paramSets.add(withoutSignatureAndToken);
      }
    }
    LinkedHashSet<String> candidates = new LinkedHashSet<>();
    for (List<Param> params : paramSets) {
      candidates.add(SigV4Canonical.canonicalQuery(params));
      candidates.add(SigV4Canonical.rawSortedQuery(params));
    }
    return List.copyOf(candidates);
  }

  // ------------------------------------------------------------------------------------ helpers

  /** Query parameter names are matched exactly (AWS's are case-sensitive), values decoded. */
  private static String queryParam(List<Param> query, String name) {
    for (Param p : query) {
      if (SigV4Canonical.percentDecode(p.rawKey()).equals(name)) {
        return SigV4Canonical.percentDecode(p.rawValue());
      }
    }
    return null;
  }

  private static boolean hasQueryParam(List<Param> query, String name) {
    return queryParam(query, name) != null;
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
