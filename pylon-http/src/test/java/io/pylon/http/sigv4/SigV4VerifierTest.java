package io.pylon.http.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.http.sigv4.SigV4Signer.SessionTokenPlacement;
import io.pylon.http.sigv4.SigV4Signer.SignedRequest;
import io.pylon.http.sigv4.VerificationResult.Rejected;
import io.pylon.http.sigv4.VerificationResult.Verified;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every way verification can fail, with the AWS error code and message it must produce. */
class SigV4VerifierTest {

  private static final Instant SIGNED_AT = Instant.parse("2024-05-01T12:34:56Z");
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final AwsCredentials ADMIN = new AwsCredentials("AKIDEXAMPLE", SECRET);
  private static final String TOKEN = "session-token/+=";
  private static final AwsCredentials TEMPORARY =
      new AwsCredentials("ASIATEMP", "tempSecret", TOKEN);
  private static final Instant TEMPORARY_EXPIRY = SIGNED_AT.plus(Duration.ofMinutes(30));
  private static final String HOST = "iot.pylon.test";

  private static final CredentialStore STORE =
      CredentialStore.of(
          Map.of(
              ADMIN.accessKeyId(), new SecretKey(SECRET, "admin"),
              TEMPORARY.accessKeyId(),
                  new SecretKey("tempSecret", "role/device", TOKEN, TEMPORARY_EXPIRY)));

  private final SigV4Signer signer = new SigV4Signer();

  private static SigV4Verifier verifierAt(Instant now) {
    return new SigV4Verifier(
        STORE,
        Clock.fixed(now, ZoneOffset.UTC),
        new LinkedHashSet<>(List.of("iot", "execute-api")));
  }

  private SigV4Request signedGet(AwsCredentials credentials, Instant signedAt) {
    SignedRequest signed =
        signer.sign(
            "GET",
            "/things/pump-1",
            "",
            SigV4Headers.of("Host", HOST),
            new byte[0],
            credentials,
            "us-east-1",
            "iot",
            signedAt);
    return SigV4Request.of("GET", "/things/pump-1", "", signed.headers(), null);
  }

  private static SigV4Request withAuthorization(String authorization, String... extraHeaders) {
    SigV4Headers.Builder headers =
        SigV4Headers.builder().add("Host", HOST).add("Authorization", authorization);
    for (int i = 0; i < extraHeaders.length; i += 2) {
      headers.add(extraHeaders[i], extraHeaders[i + 1]);
    }
    return SigV4Request.of("GET", "/things", "", headers.build(), null);
  }

  private static Rejected rejected(VerificationResult result) {
    assertThat(result).isInstanceOf(Rejected.class);
    Rejected rejected = (Rejected) result;
    assertThat(rejected.httpStatus()).isEqualTo(403);
    return rejected;
  }

  @Test
  void noAuthenticationAtAll() {
    Rejected r =
        rejected(
            verifierAt(SIGNED_AT)
                .verify(
                    SigV4Request.of(
                        "GET", "/things", "maxResults=5", SigV4Headers.of("Host", HOST), null)));
    assertThat(r.error()).isEqualTo(SigV4Error.MISSING_AUTHENTICATION_TOKEN);
    assertThat(r.errorCode()).isEqualTo("MissingAuthenticationTokenException");
    assertThat(r.message()).isEqualTo("Missing Authentication Token");
    assertThat(r.detailedMessage()).isEqualTo("Missing Authentication Token");
  }

  @Nested
  class ClockSkew {

    @Test
    void aRequestSixMinutesOldIsExpired() {
      Instant now = SIGNED_AT.plus(Duration.ofMinutes(6));
      Rejected r = rejected(verifierAt(now).verify(signedGet(ADMIN, SIGNED_AT)));
      assertThat(r.error()).isEqualTo(SigV4Error.SIGNATURE_EXPIRED);
      assertThat(r.errorCode()).isEqualTo("InvalidSignatureException");
      assertThat(r.message())
          .isEqualTo(
              "Signature expired: 20240501T123456Z is now earlier than 20240501T123556Z (20240501T124056Z - 5 min.)");
    }

    @Test
    void aRequestSixMinutesAheadIsNotYetCurrent() {
      Instant now = SIGNED_AT.minus(Duration.ofMinutes(6));
      Rejected r = rejected(verifierAt(now).verify(signedGet(ADMIN, SIGNED_AT)));
      assertThat(r.error()).isEqualTo(SigV4Error.SIGNATURE_EXPIRED);
      assertThat(r.errorCode()).isEqualTo("InvalidSignatureException");
      assertThat(r.message())
          .isEqualTo(
              "Signature not yet current: 20240501T123456Z is still later than "
                  + "20240501T123356Z (20240501T122856Z + 5 min.)");
    }

    @Test
    void withinFiveMinutesEitherWayIsFine() {
      for (Duration offset :
          List.of(
              Duration.ofMinutes(-5),
              Duration.ofMinutes(-4),
              Duration.ZERO,
              Duration.ofMinutes(4),
              Duration.ofMinutes(5))) {
        assertThat(verifierAt(SIGNED_AT.plus(offset)).verify(signedGet(ADMIN, SIGNED_AT)))
            .as("offset %s", offset)
            .isInstanceOf(Verified.class);
      }
    }

    @Test
    void theSkewIsConfigurable() {
      SigV4Verifier lenient =
          new SigV4Verifier(
              STORE,
              Clock.fixed(SIGNED_AT.plus(Duration.ofMinutes(14)), ZoneOffset.UTC),
              Duration.ofMinutes(15),
              Set.of("iot"));
      assertThat(lenient.verify(signedGet(ADMIN, SIGNED_AT))).isInstanceOf(Verified.class);
      assertThat(lenient.allowedSkew()).isEqualTo(Duration.ofMinutes(15));
      SigV4Verifier strict =
          new SigV4Verifier(
              STORE,
              Clock.fixed(SIGNED_AT.plusSeconds(31), ZoneOffset.UTC),
              Duration.ofSeconds(30),
              Set.of("iot"));
      assertThat(rejected(strict.verify(signedGet(ADMIN, SIGNED_AT))).message())
          .endsWith("- 30 sec.)");
    }

    @Test
    void aPresignedUrlIsGoodUntilXAmzExpires() {
      String url =
          signer.presignWebSocketUrl(
              HOST, "/mqtt", "us-east-1", "iot", ADMIN, SIGNED_AT, Duration.ofMinutes(15));
      assertThat(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(14))).verify(upgrade(url)))
          .isInstanceOf(Verified.class);
      assertThat(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(15))).verify(upgrade(url)))
          .isInstanceOf(Verified.class);

      Rejected r =
          rejected(
              verifierAt(SIGNED_AT.plus(Duration.ofMinutes(15)).plusSeconds(1))
                  .verify(upgrade(url)));
      assertThat(r.error()).isEqualTo(SigV4Error.SIGNATURE_EXPIRED);
      assertThat(r.errorCode()).isEqualTo("InvalidSignatureException");
      assertThat(r.message())
          .isEqualTo(
              "Signature expired: 20240501T123456Z is now earlier than 20240501T123457Z (20240501T124957Z - 15 min.)");
    }

    @Test
    void aShortLivedPresignedUrlExpiresBeforeTheSkewWindow() {
      String url =
          signer.presignWebSocketUrl(
              HOST, "/mqtt", "us-east-1", "iot", ADMIN, SIGNED_AT, Duration.ofSeconds(10));
      assertThat(verifierAt(SIGNED_AT.plusSeconds(10)).verify(upgrade(url)))
          .isInstanceOf(Verified.class);
      Rejected r = rejected(verifierAt(SIGNED_AT.plusSeconds(11)).verify(upgrade(url)));
      assertThat(r.error()).isEqualTo(SigV4Error.SIGNATURE_EXPIRED);
      assertThat(r.message()).endsWith("(20240501T123507Z - 10 sec.)");
    }

    @Test
    void aPresignedUrlWithoutXAmzExpiresGetsTheSkewWindow() {
      // what the AWS CRT (Device SDK v2) sends
      String url =
          signer.presignWebSocketUrl(HOST, "/mqtt", "us-east-1", "iot", ADMIN, SIGNED_AT, null);
      assertThat(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(4))).verify(upgrade(url)))
          .isInstanceOf(Verified.class);
      Rejected r = rejected(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(6))).verify(upgrade(url)));
      assertThat(r.error()).isEqualTo(SigV4Error.SIGNATURE_EXPIRED);
      assertThat(r.message()).startsWith("Signature expired: 20240501T123456Z is now earlier than");
    }

    @Test
    void aPresignedUrlFromTheFutureIsNotYetCurrent() {
      String url =
          signer.presignWebSocketUrl(
              HOST, "/mqtt", "us-east-1", "iot", ADMIN, SIGNED_AT, Duration.ofHours(1));
      Rejected r =
          rejected(verifierAt(SIGNED_AT.minus(Duration.ofMinutes(6))).verify(upgrade(url)));
      assertThat(r.error()).isEqualTo(SigV4Error.SIGNATURE_EXPIRED);
      assertThat(r.message()).startsWith("Signature not yet current:");
    }

    @Test
    void xAmzExpiresBeyondSevenDaysIsRefused() {
      String url =
          signer
              .presignWebSocketUrl(
                  HOST, "/mqtt", "us-east-1", "iot", ADMIN, SIGNED_AT, Duration.ofDays(7))
              .replace("X-Amz-Expires=604800", "X-Amz-Expires=604801");
      Rejected r = rejected(verifierAt(SIGNED_AT).verify(upgrade(url)));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.message())
          .isEqualTo("X-Amz-Expires must be less than a week (in seconds) that is 604800");
      String notANumber = url.replace("X-Amz-Expires=604801", "X-Amz-Expires=soon");
      assertThat(rejected(verifierAt(SIGNED_AT).verify(upgrade(notANumber))).message())
          .isEqualTo("X-Amz-Expires should be a number");
    }
  }

  @Nested
  class Credentials {

    @Test
    void unknownAccessKey() {
      AwsCredentials stranger = new AwsCredentials("AKIDUNKNOWN", SECRET);
      Rejected r = rejected(verifierAt(SIGNED_AT).verify(signedGet(stranger, SIGNED_AT)));
      assertThat(r.error()).isEqualTo(SigV4Error.UNRECOGNIZED_CLIENT);
      assertThat(r.errorCode()).isEqualTo("UnrecognizedClientException");
      assertThat(r.message()).isEqualTo("The security token included in the request is invalid.");
    }

    @Test
    void wrongSecret() {
      AwsCredentials wrong = new AwsCredentials(ADMIN.accessKeyId(), "not-the-secret");
      Rejected r = rejected(verifierAt(SIGNED_AT).verify(signedGet(wrong, SIGNED_AT)));
      assertThat(r.error()).isEqualTo(SigV4Error.SIGNATURE_DOES_NOT_MATCH);
      assertThat(r.errorCode()).isEqualTo("InvalidSignatureException");
      assertThat(r.message())
          .isEqualTo(
              "The request signature we calculated does not match the signature you "
                  + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation "
                  + "for details.");
      assertThat(r.canonicalRequest())
          .isEqualTo(
              "GET\n/things/pump-1\n\nhost:iot.pylon.test\nx-amz-date:20240501T123456Z\n\n"
                  + "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      assertThat(r.stringToSign())
          .startsWith("AWS4-HMAC-SHA256\n20240501T123456Z\n20240501/us-east-1/iot/aws4_request\n");
      assertThat(r.detailedMessage())
          .contains(
              "\n\nThe Canonical String for this request should have been\n'GET\n/things/pump-1\n")
          .contains("\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n");
    }

    @Test
    void temporaryCredentialsNeedTheirToken() {
      assertThat(verifierAt(SIGNED_AT).verify(signedGet(TEMPORARY, SIGNED_AT)))
          .isInstanceOf(Verified.class);

      SigV4Request withoutToken = signedGet(TEMPORARY, SIGNED_AT);
      withoutToken =
          new SigV4Request(
              "GET",
              withoutToken.rawPath(),
              "",
              withoutToken.headers().toBuilder().remove("X-Amz-Security-Token").build(),
              withoutToken.bodySha256());
      assertThat(rejected(verifierAt(SIGNED_AT).verify(withoutToken)).error())
          .isEqualTo(SigV4Error.UNRECOGNIZED_CLIENT);

      AwsCredentials otherToken =
          new AwsCredentials(TEMPORARY.accessKeyId(), "tempSecret", "someone-elses-token");
      Rejected r = rejected(verifierAt(SIGNED_AT).verify(signedGet(otherToken, SIGNED_AT)));
      assertThat(r.error()).isEqualTo(SigV4Error.UNRECOGNIZED_CLIENT);
      assertThat(r.message()).isEqualTo("The security token included in the request is invalid.");
    }

    @Test
    void aLongTermKeyMustNotCarryAToken() {
      AwsCredentials withToken = new AwsCredentials(ADMIN.accessKeyId(), SECRET, "stray-token");
      assertThat(rejected(verifierAt(SIGNED_AT).verify(signedGet(withToken, SIGNED_AT))).error())
          .isEqualTo(SigV4Error.UNRECOGNIZED_CLIENT);
    }

    @Test
    void expiredTemporaryCredentials() {
      Instant later = TEMPORARY_EXPIRY.plusSeconds(1);
      Rejected r = rejected(verifierAt(later).verify(signedGet(TEMPORARY, later)));
      assertThat(r.error()).isEqualTo(SigV4Error.EXPIRED_TOKEN);
      assertThat(r.errorCode()).isEqualTo("ExpiredTokenException");
      assertThat(r.message()).isEqualTo("The security token included in the request is expired");
    }

    @Test
    void presignedTokenSignedOrAppendedBothWork() {
      for (SessionTokenPlacement placement : SessionTokenPlacement.values()) {
        String url =
            signer.presign(
                "GET",
                "wss",
                HOST,
                "/mqtt",
                "",
                TEMPORARY,
                "us-east-1",
                "iot",
                SIGNED_AT,
                null,
                placement);
        VerificationResult result = verifierAt(SIGNED_AT).verify(upgrade(url));
        assertThat(result).as(placement.name()).isInstanceOf(Verified.class);
        assertThat(((Verified) result).sessionToken()).isEqualTo(TOKEN);
        assertThat(((Verified) result).principal()).isEqualTo("role/device");
      }
    }
  }

  @Nested
  class MalformedAuthorization {

    @Test
    void anotherSchemeAltogether() {
      Rejected r =
          rejected(
              verifierAt(SIGNED_AT).verify(withAuthorization("Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.errorCode()).isEqualTo("IncompleteSignatureException");
      assertThat(r.message())
          .isEqualTo(
              "Authorization header requires 'Credential' parameter. Authorization header "
                  + "requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
                  + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                  + "Authorization=Bearer eyJhbGciOiJIUzI1NiJ9.e30.x");
    }

    @Test
    void missingSignedHeadersBecauseOfAMissingComma() {
      Rejected r =
          rejected(
              verifierAt(SIGNED_AT)
                  .verify(
                      withAuthorization(
                          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/iot/aws4_request "
                              + "SignedHeaders=host;x-amz-date, Signature=abcd",
                          "X-Amz-Date",
                          "20240501T123456Z")));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.message())
          .startsWith("Authorization header requires 'SignedHeaders' parameter. Authorization=");
    }

    @Test
    void aPartWithoutEqualSign() {
      String header =
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20240501/us-east-1/iot/aws4_request, "
              + "SignedHeaders=host;x-amz-date, Signature=abcd";
      Rejected r =
          rejected(
              verifierAt(SIGNED_AT)
                  .verify(
                      withAuthorization(
                          header.replace("Credential=AKIDEXAMPLE /", "Credential=AKIDEXAMPLE, /"),
                          "X-Amz-Date",
                          "20240501T123456Z")));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.message())
          .startsWith(
              "'/20240501/us-east-1/iot/aws4_request' not a valid key=value pair "
                  + "(missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE, /");
    }

    @Test
    void aCredentialWithoutFiveParts() {
      Rejected r =
          rejected(
              verifierAt(SIGNED_AT)
                  .verify(
                      withAuthorization(
                          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/aws4_request, SignedHeaders=host;x-amz-date, "
                              + "Signature=abcd",
                          "X-Amz-Date",
                          "20240501T123456Z")));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.message())
          .isEqualTo(
              "Credential must have exactly 5 slash-delimited elements, e.g. "
                  + "keyid/date/region/service/term, got 'AKIDEXAMPLE/20240501/us-east-1/aws4_request'");
    }

    @Test
    void noDateHeader() {
      Rejected r =
          rejected(
              verifierAt(SIGNED_AT)
                  .verify(
                      withAuthorization(
                          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/iot/aws4_request, SignedHeaders=host, "
                              + "Signature=abcd")));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.message())
          .startsWith(
              "Authorization header requires existence of either a 'X-Amz-Date' or a "
                  + "'Date' header. Authorization=AWS4-HMAC-SHA256");
    }

    @Test
    void aDateThatIsNotIsoBasic() {
      Rejected r =
          rejected(
              verifierAt(SIGNED_AT)
                  .verify(
                      withAuthorization(
                          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-date, "
                              + "Signature=abcd",
                          "X-Amz-Date",
                          "2024-05-01T12:34:56Z")));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.message())
          .isEqualTo(
              "Date must be in ISO-8601 'basic format'. Got '2024-05-01T12:34:56Z'. "
                  + "See http://en.wikipedia.org/wiki/ISO_8601");
    }

    @Test
    void sigV4aIsNotSupported() {
      Rejected r =
          rejected(
              verifierAt(SIGNED_AT)
                  .verify(
                      withAuthorization(
                          "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20240501/iot/aws4_request, SignedHeaders=host, Signature=ab")));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.message()).isEqualTo("Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'.");
    }

    @Test
    void hostMustBeSigned() {
      // A correct signature over a header set without host: refused for the missing host, not for
      // the signature.
      String amzDate = "20240501T123456Z";
      String canonical =
          SigV4Canonical.canonicalRequest(
              "GET",
              "/things",
              "",
              "x-amz-date:" + amzDate + "\n",
              "x-amz-date",
              SigV4Request.EMPTY_BODY_SHA256);
      String scope = SigV4Canonical.credentialScope("20240501", "us-east-1", "iot");
      String signature =
          SigV4Canonical.signature(
              SigV4Canonical.signingKey(SECRET, "20240501", "us-east-1", "iot"),
              SigV4Canonical.stringToSign(amzDate, scope, canonical));
      SigV4Request request =
          withAuthorization(
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
                  + scope
                  + ", SignedHeaders=x-amz-date, Signature="
                  + signature,
              "X-Amz-Date",
              amzDate);

      Rejected r = rejected(verifierAt(SIGNED_AT).verify(request));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.message())
          .isEqualTo("'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void hostMustBeSignedInPresignedUrlsToo() {
      String url =
          signer
              .presignWebSocketUrl(HOST, "/mqtt", "us-east-1", "iot", ADMIN, SIGNED_AT, null)
              .replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=upgrade");
      Rejected r = rejected(verifierAt(SIGNED_AT).verify(upgrade(url)));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.message()).contains("'Host'");
    }

    @Test
    void incompletePresignedQuery() {
      String url =
          signer
              .presignWebSocketUrl(HOST, "/mqtt", "us-east-1", "iot", ADMIN, SIGNED_AT, null)
              .replaceAll("&X-Amz-Date=[^&]*", "")
              .replaceAll("&X-Amz-Signature=[^&]*", "");
      Rejected r = rejected(verifierAt(SIGNED_AT).verify(upgrade(url)));
      assertThat(r.error()).isEqualTo(SigV4Error.INCOMPLETE_SIGNATURE);
      assertThat(r.message())
          .isEqualTo(
              "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string "
                  + "parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.");
    }
  }

  @Nested
  class CredentialScope {

    @Test
    void anotherService() {
      SignedRequest signed =
          signer.sign(
              "GET",
              "/things",
              "",
              SigV4Headers.of("Host", HOST),
              new byte[0],
              ADMIN,
              "us-east-1",
              "iotdata",
              SIGNED_AT);
      Rejected r =
          rejected(
              verifierAt(SIGNED_AT)
                  .verify(SigV4Request.of("GET", "/things", "", signed.headers(), null)));
      assertThat(r.error()).isEqualTo(SigV4Error.INVALID_CREDENTIAL_SCOPE);
      assertThat(r.errorCode()).isEqualTo("InvalidSignatureException");
      assertThat(r.message()).isEqualTo("Credential should be scoped to correct service: 'iot'. ");
    }

    @Test
    void anyRegionIsAccepted() {
      for (String region : List.of("us-east-1", "eu-central-1", "cn-north-1", "local")) {
        SignedRequest signed =
            signer.sign(
                "GET",
                "/things",
                "",
                SigV4Headers.of("Host", HOST),
                new byte[0],
                ADMIN,
                region,
                "execute-api",
                SIGNED_AT);
        VerificationResult result =
            verifierAt(SIGNED_AT)
                .verify(SigV4Request.of("GET", "/things", "", signed.headers(), null));
        assertThat(result).isInstanceOf(Verified.class);
        assertThat(((Verified) result).region()).isEqualTo(region);
      }
    }

    @Test
    void aScopeDateOtherThanTheRequestDate() {
      SigV4Request request = signedGet(ADMIN, SIGNED_AT);
      String authorization =
          request
              .headers()
              .first("authorization")
              .orElseThrow()
              .replace("/20240501/", "/20240430/");
      SigV4Request moved =
          new SigV4Request(
              "GET",
              request.rawPath(),
              "",
              request.headers().toBuilder().set("Authorization", authorization).build(),
              request.bodySha256());
      Rejected r = rejected(verifierAt(SIGNED_AT).verify(moved));
      assertThat(r.error()).isEqualTo(SigV4Error.INVALID_CREDENTIAL_SCOPE);
      assertThat(r.message())
          .isEqualTo(
              "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                  + "date from HTTP: '20240430' != '20240501', from '20240501T123456Z'.");
    }

    @Test
    void aWrongTerminator() {
      SigV4Request request = signedGet(ADMIN, SIGNED_AT);
      String authorization =
          request
              .headers()
              .first("authorization")
              .orElseThrow()
              .replace("/aws4_request", "/aws5_request");
      SigV4Request changed =
          new SigV4Request(
              "GET",
              request.rawPath(),
              "",
              request.headers().toBuilder().set("Authorization", authorization).build(),
              request.bodySha256());
      Rejected r = rejected(verifierAt(SIGNED_AT).verify(changed));
      assertThat(r.error()).isEqualTo(SigV4Error.INVALID_CREDENTIAL_SCOPE);
      assertThat(r.message())
          .isEqualTo(
              "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ");
    }

    @Test
    void acceptedServicesMustNotBeEmpty() {
      assertThatThrownBy(() -> new SigV4Verifier(STORE, Clock.systemUTC(), Set.of()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Payload {

    private SigV4Request signedPost(String contentSha256, byte[] body) {
      SigV4Headers.Builder headers =
          SigV4Headers.builder().add("Host", HOST).add("Content-Type", "application/json");
      if (contentSha256 != null) {
        headers.add("x-amz-content-sha256", contentSha256);
      }
      SignedRequest signed =
          signer.sign(
              "POST",
              "/topics/a%2Fb",
              "qos=1",
              headers.build(),
              body,
              ADMIN,
              "us-east-1",
              "iot",
              SIGNED_AT);
      return SigV4Request.of("POST", "/topics/a%2Fb", "qos=1", signed.headers(), body);
    }

    @Test
    void aContentSha256HeaderThatMatchesTheBody() {
      byte[] body = "{\"on\":true}".getBytes(StandardCharsets.UTF_8);
      assertThat(verifierAt(SIGNED_AT).verify(signedPost(SigV4Canonical.sha256Hex(body), body)))
          .isInstanceOf(Verified.class);
    }

    @Test
    void aContentSha256HeaderThatLiesAboutTheBody() {
      byte[] body = "{\"on\":true}".getBytes(StandardCharsets.UTF_8);
      SigV4Request request = signedPost(SigV4Canonical.sha256Hex("{\"on\":false}"), body);
      Rejected r = rejected(verifierAt(SIGNED_AT).verify(request));
      assertThat(r.error()).isEqualTo(SigV4Error.SIGNATURE_DOES_NOT_MATCH);
      assertThat(r.message())
          .isEqualTo(
              "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }

    @Test
    void unsignedPayload() {
      byte[] body = "anything".getBytes(StandardCharsets.UTF_8);
      SigV4Request request = signedPost("UNSIGNED-PAYLOAD", body);
      assertThat(verifierAt(SIGNED_AT).verify(request)).isInstanceOf(Verified.class);
    }

    @Test
    void aBodyChangedAfterSigning() {
      SigV4Request request = signedPost(null, "{\"on\":true}".getBytes(StandardCharsets.UTF_8));
      SigV4Request changed =
          SigV4Request.of(
              "POST",
              request.rawPath(),
              request.rawQuery(),
              request.headers(),
              "{\"on\":false}".getBytes(StandardCharsets.UTF_8));
      assertThat(rejected(verifierAt(SIGNED_AT).verify(changed)).error())
          .isEqualTo(SigV4Error.SIGNATURE_DOES_NOT_MATCH);
    }
  }

  @Test
  void requestTargetsAreSplitAsReceived() {
    SigV4Request r =
        SigV4Request.fromRequestTarget(
            "GET", "/mqtt?X-Amz-Date=1&a=%2F#frag", SigV4Headers.empty(), null);
    assertThat(r.rawPath()).isEqualTo("/mqtt");
    assertThat(r.rawQuery()).isEqualTo("X-Amz-Date=1&a=%2F");
    assertThat(r.bodySha256()).isEqualTo(SigV4Request.EMPTY_BODY_SHA256);
    SigV4Request absolute =
        SigV4Request.fromRequestTarget(
            "GET", "https://h:8443/things/x%3Ay?z=1", SigV4Headers.empty(), null);
    assertThat(absolute.rawPath()).isEqualTo("/things/x%3Ay");
    assertThat(absolute.rawQuery()).isEqualTo("z=1");
  }

  @Test
  void secretsStayOutOfToString() {
    assertThat(new SecretKey(SECRET, "admin").toString()).doesNotContain(SECRET);
    assertThat(ADMIN.toString()).doesNotContain(SECRET);
    assertThat(TEMPORARY.toString()).doesNotContain(TOKEN);
  }

  private static SigV4Request upgrade(String url) {
    URI uri = URI.create(url);
    return SigV4Request.fromRequestTarget(
        "GET",
        uri.getRawPath() + "?" + uri.getRawQuery(),
        SigV4Headers.of(
            "Host",
            uri.getHost(),
            "Upgrade",
            "websocket",
            "Connection",
            "Upgrade",
            "Sec-WebSocket-Protocol",
            "mqtt"),
        null);
  }
}
