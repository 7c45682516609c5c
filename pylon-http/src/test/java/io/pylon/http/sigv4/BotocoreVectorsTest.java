package io.pylon.http.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.http.sigv4.SigV4TestVectors.Vector;
import io.pylon.http.sigv4.VerificationResult.AuthLocation;
import io.pylon.http.sigv4.VerificationResult.Rejected;
import io.pylon.http.sigv4.VerificationResult.Verified;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The verifier against requests signed by real botocore / AWS CRT (regenerate with {@code
 * src/test/python/gen_sigv4_vectors.py}): each must verify, and each single-field tamper must not.
 */
class BotocoreVectorsTest {

  /**
   * Everything Pylon answers on one port: control plane (old and new signing name), data planes,
   * WebSocket.
   */
  private static final Set<String> SERVICES =
      Set.of("iot", "execute-api", "iotdata", "iotdevicegateway", "iot-jobs-data");

  static Stream<Vector> vectors() {
    return SigV4TestVectors.all().stream();
  }

  private static SigV4Verifier verifierFor(Vector v) {
    Clock clock = Clock.fixed(v.signedAt().plusSeconds(30), ZoneOffset.UTC);
    return new SigV4Verifier(v.store(), clock, SERVICES);
  }

  @Test
  void bothBotocoreGenerationsAndTheCrtAreRepresented() {
    List<Vector> all = SigV4TestVectors.all();
    assertThat(all).hasSizeGreaterThan(60);
    assertThat(all)
        .extracting(Vector::service)
        .contains("iot", "execute-api", "iotdata", "iotdevicegateway", "iot-jobs-data");
    assertThat(all)
        .extracting(Vector::signer)
        .anyMatch(s -> s.startsWith("awscrt"))
        .anyMatch(s -> s.equals("botocore.crt.auth.CrtSigV4Auth"))
        .anyMatch(s -> s.equals("botocore.auth.SigV4Auth"))
        .anyMatch(s -> s.equals("botocore.auth.SigV4QueryAuth"));
    assertThat(all).extracting(Vector::method).contains("GET", "POST", "PUT", "DELETE");
    assertThat(all)
        .extracting(Vector::rawPath)
        .anyMatch(p -> p.contains("%3A"))
        .anyMatch(p -> p.contains("%24"))
        .anyMatch(p -> p.contains("%2F"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void verifies(Vector v) {
    VerificationResult result = verifierFor(v).verify(v.request());

    assertThat(result).as(() -> explain(v, result)).isInstanceOf(Verified.class);
    Verified ok = (Verified) result;
    assertThat(ok.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(ok.region()).isEqualTo(v.region());
    assertThat(ok.service()).isEqualTo(v.service());
    assertThat(ok.principal()).isEqualTo("admin");
    assertThat(ok.signedAt()).isEqualTo(v.signedAt());
    assertThat(ok.location())
        .isEqualTo(v.presigned() ? AuthLocation.QUERY_STRING : AuthLocation.HEADER);
    assertThat(ok.sessionToken()).isEqualTo(v.sessionToken());
  }

  /** Where botocore logged its canonical request, ours must be identical, not merely verify. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void canonicalRequestIsBotocores(Vector v) {
    if (v.expectedCanonicalRequest() == null) {
      return; // the CRT does not log it; the signature check above covers those
    }
    SigV4Request request = v.request();
    List<SigV4Canonical.Param> params =
        new ArrayList<>(SigV4Canonical.parseQuery(request.rawQuery()));
    params.removeIf(p -> p.rawKey().equals("X-Amz-Signature"));
    if (v.id().contains("appended-token")) {
      params.removeIf(p -> p.rawKey().equals("X-Amz-Security-Token")); // appended after signing
    }
    String query =
        v.id().equals("sigv4auth-iot-unencoded-query")
            ? SigV4Canonical.rawSortedQuery(
                params) // botocore signs such a URL as sent (see the vector's notes)
            : SigV4Canonical.canonicalQuery(params);
    List<String> signed = Arrays.asList(v.expectedSignedHeaders().split(";"));
    String payload = request.headers().first("x-amz-content-sha256").orElse(request.bodySha256());
    String canonical =
        SigV4Canonical.canonicalRequest(
            v.method(),
            SigV4Canonical.canonicalUri(v.rawPath()),
            query,
            SigV4Canonical.canonicalHeaders(request.headers(), signed),
            v.expectedSignedHeaders(),
            payload);
    assertThat(canonical).isEqualTo(v.expectedCanonicalRequest());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void rejectsATamperedHeader(Vector v) {
    List<String> signed = Arrays.asList(v.expectedSignedHeaders().split(";"));
    // Date and token tampering have their own tests and errors; any other signed header will do.
    String victim =
        signed.stream()
            .filter(n -> !Set.of("x-amz-date", "date", "host", "x-amz-security-token").contains(n))
            .findFirst()
            .orElse("host");
    SigV4Headers.Builder headers = SigV4Headers.builder();
    boolean changed = false;
    for (String[] h : v.headers()) {
      if (!changed && h[0].equalsIgnoreCase(victim)) {
        headers.add(h[0], h[1] + "x");
        changed = true;
      } else {
        headers.add(h[0], h[1]);
      }
    }
    assertThat(changed).as("signed header %s present", victim).isTrue();
    assertRejected(
        v,
        SigV4Request.of(v.method(), v.rawPath(), v.rawQuery(), headers.build(), v.body()),
        SigV4Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void rejectsATamperedBody(Vector v) {
    byte[] body = v.body().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : v.body().clone();
    if (v.body().length > 0) {
      body[body.length - 1] ^= 1;
    }
    SigV4Request tampered =
        SigV4Request.of(v.method(), v.rawPath(), v.rawQuery(), v.sigV4Headers(), body);
    boolean unsignedPayload =
        v.sigV4Headers().first("x-amz-content-sha256").orElse("").equals("UNSIGNED-PAYLOAD");
    if (unsignedPayload) {
      // The client opted out of covering the body; AWS accepts any body then, and so do we.
      assertThat(verifierFor(v).verify(tampered)).isInstanceOf(Verified.class);
    } else {
      assertRejected(v, tampered, SigV4Error.SIGNATURE_DOES_NOT_MATCH);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void rejectsATamperedPath(Vector v) {
    String path = v.rawPath() + "x";
    assertRejected(
        v,
        SigV4Request.of(v.method(), path, v.rawQuery(), v.sigV4Headers(), v.body()),
        SigV4Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void rejectsATamperedQuery(Vector v) {
    String query;
    if (v.rawQuery().isEmpty()) {
      query = "extra=1";
    } else if (v.presigned()) {
      query = v.rawQuery() + "&extra=1";
    } else {
      // change a value, not just add a parameter
      int eq = v.rawQuery().indexOf('=');
      query =
          eq < 0
              ? v.rawQuery() + "x"
              : v.rawQuery().substring(0, eq + 1) + "x" + v.rawQuery().substring(eq + 1);
    }
    assertRejected(
        v,
        SigV4Request.of(v.method(), v.rawPath(), query, v.sigV4Headers(), v.body()),
        SigV4Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void rejectsATamperedDate(Vector v) {
    String earlier = SigV4Canonical.formatAmzDate(v.signedAt().minusSeconds(1));
    SigV4Headers headers = v.sigV4Headers();
    String query = v.rawQuery();
    if (v.presigned()) {
      query = query.replace("X-Amz-Date=" + v.timestamp(), "X-Amz-Date=" + earlier);
      assertThat(query).isNotEqualTo(v.rawQuery());
    } else if (headers.contains("x-amz-date")) {
      headers = headers.toBuilder().set("X-Amz-Date", earlier).build();
    } else {
      String date = headers.first("date").orElseThrow();
      headers = headers.toBuilder().set("Date", date.replace("12:34:56", "12:34:55")).build();
    }
    assertRejected(
        v,
        SigV4Request.of(v.method(), v.rawPath(), query, headers, v.body()),
        SigV4Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void rejectsAnotherMethod(Vector v) {
    String other = v.method().equals("GET") ? "HEAD" : "GET";
    assertRejected(
        v,
        SigV4Request.of(other, v.rawPath(), v.rawQuery(), v.sigV4Headers(), v.body()),
        SigV4Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void rejectsAnotherSecret(Vector v) {
    CredentialStore wrong =
        CredentialStore.of(
            java.util.Map.of(
                v.accessKeyId(),
                new SecretKey(
                    v.secretAccessKey().toLowerCase(Locale.ROOT),
                    "admin",
                    v.sessionToken(),
                    null)));
    SigV4Verifier verifier =
        new SigV4Verifier(wrong, Clock.fixed(v.signedAt(), ZoneOffset.UTC), SERVICES);
    VerificationResult result = verifier.verify(v.request());
    assertThat(result).isInstanceOf(Rejected.class);
    assertThat(((Rejected) result).error()).isEqualTo(SigV4Error.SIGNATURE_DOES_NOT_MATCH);
  }

  private static void assertRejected(Vector v, SigV4Request tampered, SigV4Error expected) {
    VerificationResult result = verifierFor(v).verify(tampered);
    assertThat(result).as("tampered %s must not verify", v.id()).isInstanceOf(Rejected.class);
    Rejected rejected = (Rejected) result;
    assertThat(rejected.error()).as(rejected.message()).isEqualTo(expected);
    assertThat(rejected.errorCode()).isEqualTo("InvalidSignatureException");
    assertThat(rejected.httpStatus()).isEqualTo(403);
    assertThat(rejected.detailedMessage())
        .contains("The Canonical String for this request should have been");
  }

  private static String explain(Vector v, VerificationResult result) {
    if (result instanceof Rejected r) {
      return v.id()
          + " ("
          + v.signer()
          + ") rejected: "
          + r.error()
          + " "
          + r.detailedMessage()
          + "\nbotocore canonical request:\n"
          + v.expectedCanonicalRequest();
    }
    return v.id();
  }
}
