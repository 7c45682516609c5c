package io.pylon.server.rules.outbound;

import static io.pylon.server.rules.outbound.RecordingServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pylon.http.sigv4.AwsCredentials;
import io.pylon.http.sigv4.CredentialStore;
import io.pylon.http.sigv4.SecretKey;
import io.pylon.http.sigv4.SigV4Headers;
import io.pylon.http.sigv4.SigV4Request;
import io.pylon.http.sigv4.SigV4Verifier;
import io.pylon.http.sigv4.VerificationResult;
import io.pylon.server.pki.CertificateAuthority;
import io.pylon.server.pki.IssuedCertificate;
import io.pylon.server.rules.outbound.OutboundResult.Delivered;
import io.pylon.server.rules.outbound.OutboundResult.Failed;
import io.pylon.server.rules.outbound.OutboundResult.Reason;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboundHttpTest {

  private static final byte[] BODY = "{\"temp\":51}".getBytes(StandardCharsets.UTF_8);
  private static final List<Map.Entry<String, String>> JSON =
      List.of(Map.entry("Content-Type", "application/json"));
  private static final Instant NOW = Instant.parse("2026-11-23T16:00:00Z");

  /** Fast but realistic: the retries of a 3-attempt delivery fit well inside the timeout. */
  private static final OutboundSettings FAST =
      new OutboundSettings(Duration.ofSeconds(5), 3, Duration.ofMillis(20), 4, 10, 16384);

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final CountDownLatch release = new CountDownLatch(1);
  private RecordingServer server = RecordingServer.http();
  private OutboundHttp http;

  @AfterEach
  void tearDown() {
    release.countDown();
    if (http != null) {
      http.close();
    }
    server.close();
  }

  private OutboundHttp http(OutboundSettings settings) {
    http = new OutboundHttp(settings, registry, Clock.fixed(NOW, ZoneOffset.UTC));
    return http;
  }

  private static OutboundResult await(CompletionStage<OutboundResult> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private double counter(String name, String... tags) {
    return registry.get("pylon.rules.outbound." + name).tags(tags).functionCounter().count();
  }

  private RecordingServer.Responder holdUntilReleased() {
    return (exchange, request) -> {
      release.await();
      exchange.sendResponseHeaders(200, -1);
    };
  }

  @Test
  void send_serverAnswers200_deliveredWithBodyAndHeaders() throws Exception {
    server.answer(status(200));

    OutboundResult result =
        await(http(FAST).send(OutboundRequest.post(server.uri("/hook?k=v"), JSON, BODY)));

    assertThat(result).isEqualTo(new Delivered(200, 1));
    RecordingServer.Received received = server.next();
    assertThat(received.method()).isEqualTo("POST");
    assertThat(received.rawPath()).isEqualTo("/hook");
    assertThat(received.rawQuery()).isEqualTo("k=v");
    assertThat(received.header("content-type")).isEqualTo("application/json");
    assertThat(received.body()).isEqualTo(BODY);
    assertThat(counter("requests.sent")).isEqualTo(1);
    assertThat(counter("requests.delivered")).isEqualTo(1);
    assertThat(registry.get("pylon.rules.outbound.requests.inflight").gauge().value()).isZero();
  }

  @Test
  void send_completesOnItsWorker_notOnAThreadStartedForTheRequest() throws Exception {
    server.answer(holdUntilReleased());
    AtomicReference<String> completedOn = new AtomicReference<>();

    CompletionStage<OutboundResult> sent =
        http(FAST)
            .send(OutboundRequest.post(server.uri("/hook"), JSON, BODY))
            .whenComplete((r, e) -> completedOn.set(Thread.currentThread().getName()));
    release.countDown();

    assertThat(await(sent)).isEqualTo(new Delivered(200, 1));
    // sendAsync would complete through CompletableFuture's default executor: a new "Thread-N"
    // per request with one or two cores, the common pool otherwise.
    assertThat(completedOn.get()).startsWith("pylon-outbound-");
  }

  @Test
  void send_bodyWithoutContentType_sentAsOctetStream() throws Exception {
    OutboundResult result =
        await(http(FAST).send(OutboundRequest.post(server.uri("/raw"), List.of(), BODY)));

    assertThat(result).isInstanceOf(Delivered.class);
    assertThat(server.next().header("content-type")).isEqualTo("application/octet-stream");
  }

  @Test
  void send_503Then200_deliveredAfterTwoAttempts() throws Exception {
    server.answer(status(503), status(200));

    OutboundResult result =
        await(http(FAST).send(OutboundRequest.post(server.uri("/hook"), JSON, BODY)));

    assertThat(result).isEqualTo(new Delivered(200, 2));
    assertThat(server.count).hasValue(2);
    assertThat(server.next().body()).isEqualTo(BODY);
    assertThat(server.next().body()).isEqualTo(BODY);
    assertThat(counter("requests.sent")).isEqualTo(2);
    assertThat(counter("requests.retried")).isEqualTo(1);
  }

  @Test
  void send_429Then200_retried() throws Exception {
    server.answer(status(429), status(204));

    OutboundResult result =
        await(http(FAST).send(OutboundRequest.post(server.uri("/hook"), JSON, BODY)));

    assertThat(result).isEqualTo(new Delivered(204, 2));
  }

  @Test
  void send_400_failedWithoutRetry() throws Exception {
    server.answer(status(400), status(200));
    String url = server.uri("/hook").toString();

    OutboundResult result =
        await(http(FAST).send(OutboundRequest.post(server.uri("/hook"), JSON, BODY)));

    assertThat(result)
        .isEqualTo(
            new Failed(
                "HTTP 400 from " + url + " after 1 attempt",
                Reason.HTTP_STATUS,
                OptionalInt.of(400),
                1));
    assertThat(server.count).hasValue(1);
    assertThat(counter("requests.failed", "reason", "http_status")).isEqualTo(1);
  }

  @Test
  void send_redirect_notFollowed() throws Exception {
    server.answer(
        (exchange, request) -> {
          exchange.getResponseHeaders().add("Location", "/elsewhere");
          exchange.sendResponseHeaders(302, -1);
        });

    OutboundResult result =
        await(http(FAST).send(OutboundRequest.post(server.uri("/hook"), JSON, BODY)));

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).status()).hasValue(302);
    assertThat(server.count).hasValue(1);
  }

  @Test
  void send_500ThreeTimes_failedNamingStatusUrlAndAttempts() throws Exception {
    server.answer(status(500));

    OutboundResult result =
        await(http(FAST).send(OutboundRequest.post(server.uri("/a/b?secret=1"), JSON, BODY)));

    Failed failed = (Failed) result;
    assertThat(failed.errorMessage())
        .isEqualTo("HTTP 500 from " + server.uri("/a/b") + " after 3 attempts")
        .doesNotContain("secret");
    assertThat(failed.reason()).isEqualTo(Reason.HTTP_STATUS);
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(server.count).hasValue(3);
    assertThat(counter("requests.sent")).isEqualTo(3);
    assertThat(counter("requests.failed", "reason", "http_status")).isEqualTo(1);
  }

  @Test
  void send_awsErrorType_namedInMessage() throws Exception {
    server.answer(
        (exchange, request) -> {
          exchange
              .getResponseHeaders()
              .add("x-amzn-ErrorType", "ResourceNotFoundException:http://x/");
          exchange.sendResponseHeaders(404, -1);
        });

    Failed failed =
        (Failed) await(http(FAST).send(OutboundRequest.post(server.uri("/f"), JSON, BODY)));

    assertThat(failed.errorMessage()).startsWith("HTTP 404 (ResourceNotFoundException) from ");
  }

  @Test
  void send_oversized503_notRetried() throws Exception {
    server.answer(
        (exchange, request) -> {
          byte[] big = new byte[20_000];
          exchange.sendResponseHeaders(503, big.length);
          exchange.getResponseBody().write(big);
        });

    Failed failed =
        (Failed) await(http(FAST).send(OutboundRequest.post(server.uri("/big"), JSON, BODY)));

    assertThat(failed.errorMessage())
        .startsWith("HTTP 503 from ")
        .endsWith("after 1 attempt; not retried: response larger than 16384 bytes");
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(server.count).hasValue(1);
  }

  @Test
  void send_oversized200_delivered() throws Exception {
    server.answer(
        (exchange, request) -> {
          byte[] big = new byte[40_000];
          exchange.sendResponseHeaders(200, big.length);
          exchange.getResponseBody().write(big);
        });

    assertThat(await(http(FAST).send(OutboundRequest.post(server.uri("/big"), JSON, BODY))))
        .isEqualTo(new Delivered(200, 1));
  }

  @Test
  void send_503WithConnectionClose_notRetried() throws Exception {
    server.answer(
        (exchange, request) -> {
          exchange.getResponseHeaders().add("Connection", "close");
          exchange.sendResponseHeaders(503, -1);
        });

    Failed failed =
        (Failed) await(http(FAST).send(OutboundRequest.post(server.uri("/c"), JSON, BODY)));

    assertThat(failed.errorMessage()).endsWith("not retried: the server closed the connection");
    assertThat(server.count).hasValue(1);
  }

  @Test
  void send_serverHoldsRequest_timesOutAndIsNotRetried() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    server.answer(
        (exchange, request) -> {
          arrived.countDown();
          release.await();
          exchange.sendResponseHeaders(200, -1);
        });
    OutboundSettings settings = FAST.withRequestTimeout(Duration.ofMillis(300));

    OutboundResult result =
        await(http(settings).send(OutboundRequest.post(server.uri("/slow"), JSON, BODY)));

    assertThat(arrived.await(0, TimeUnit.SECONDS)).isTrue();
    assertThat(result)
        .isEqualTo(
            new Failed(
                "timed out after 300 ms waiting for " + server.uri("/slow") + " (1 attempt)",
                Reason.TIMEOUT,
                OptionalInt.empty(),
                1));
    assertThat(server.count).hasValue(1);
    assertThat(counter("requests.failed", "reason", "timeout")).isEqualTo(1);
  }

  @Test
  void send_backoffBeyondDeadline_notRetried() throws Exception {
    server.answer(status(503), status(200));
    OutboundSettings settings =
        FAST.withRequestTimeout(Duration.ofMillis(500)).withFirstBackoff(Duration.ofSeconds(5));

    Failed failed =
        (Failed) await(http(settings).send(OutboundRequest.post(server.uri("/h"), JSON, BODY)));

    assertThat(failed.errorMessage())
        .endsWith("after 1 attempt; no retry: it would end after the 500 ms request timeout");
    assertThat(failed.status()).hasValue(503);
    assertThat(server.count).hasValue(1);
  }

  @Test
  void send_connectionRefused_retriedThenFailed() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    Failed failed =
        (Failed)
            await(
                http(FAST)
                    .send(
                        OutboundRequest.post(
                            URI.create("http://127.0.0.1:" + port + "/x"), JSON, BODY)));

    assertThat(failed.reason()).isEqualTo(Reason.CONNECTION);
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.errorMessage())
        .startsWith("cannot connect to http://127.0.0.1:" + port + "/x")
        .endsWith("after 3 attempts");
  }

  @Test
  void send_queueFull_failsAtOnceAndCountsDrop() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    server.answer(
        (exchange, request) -> {
          arrived.countDown();
          release.await();
          exchange.sendResponseHeaders(200, -1);
        });
    OutboundHttp limited = http(FAST.withLimits(1, 1));

    CompletionStage<OutboundResult> first =
        limited.send(OutboundRequest.post(server.uri("/q"), JSON, BODY));
    CompletionStage<OutboundResult> second =
        limited.send(OutboundRequest.post(server.uri("/q"), JSON, BODY));
    CompletionStage<OutboundResult> third =
        limited.send(OutboundRequest.post(server.uri("/q"), JSON, BODY));

    assertThat(third.toCompletableFuture().isDone()).isTrue();
    assertThat(third.toCompletableFuture().get())
        .isEqualTo(
            new Failed(
                "queue full: 1 requests waiting, " + server.uri("/q") + " not sent",
                Reason.QUEUE_FULL,
                OptionalInt.empty(),
                0));
    assertThat(counter("requests.dropped")).isEqualTo(1);
    assertThat(registry.get("pylon.rules.outbound.requests.queued").gauge().value()).isEqualTo(1);
    assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(registry.get("pylon.rules.outbound.requests.inflight").gauge().value()).isEqualTo(1);

    release.countDown();
    assertThat(await(first)).isEqualTo(new Delivered(200, 1));
    assertThat(await(second)).isEqualTo(new Delivered(200, 1));
    assertThat(server.count).hasValue(2);
    assertThat(counter("requests.delivered")).isEqualTo(2);
  }

  @Test
  void close_pendingAndQueued_failAsClosed() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    server.answer(
        (exchange, request) -> {
          arrived.countDown();
          release.await();
          exchange.sendResponseHeaders(200, -1);
        });
    OutboundHttp limited = http(FAST.withLimits(1, 5));
    CompletionStage<OutboundResult> running =
        limited.send(OutboundRequest.post(server.uri("/p"), JSON, BODY));
    CompletionStage<OutboundResult> waiting =
        limited.send(OutboundRequest.post(server.uri("/p"), JSON, BODY));
    assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();

    limited.close();

    Failed first = (Failed) await(running);
    Failed second = (Failed) await(waiting);
    assertThat(first.reason()).isEqualTo(Reason.CLOSED);
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.errorMessage())
        .isEqualTo("outbound HTTP stopped before " + server.uri("/p") + " was delivered");
    assertThat(second.reason()).isEqualTo(Reason.CLOSED);
    assertThat(second.attempts()).isZero();
    Failed after = (Failed) await(limited.send(OutboundRequest.post(server.uri("/p"), JSON, BODY)));
    assertThat(after.reason()).isEqualTo(Reason.CLOSED);
    assertThat(counter("requests.failed", "reason", "closed")).isEqualTo(3);
  }

  @Test
  void send_invalidRequests_failAtOnce() throws Exception {
    OutboundHttp client = http(FAST);

    Failed ftp =
        (Failed) await(client.send(OutboundRequest.post(URI.create("ftp://host/x"), JSON, BODY)));
    Failed badHeader =
        (Failed)
            await(
                client.send(
                    OutboundRequest.post(
                        server.uri("/x"), List.of(Map.entry("bad header", "v")), BODY)));

    assertThat(ftp.reason()).isEqualTo(Reason.INVALID_REQUEST);
    assertThat(ftp.errorMessage()).contains("only http and https URLs are supported");
    assertThat(badHeader.reason()).isEqualTo(Reason.INVALID_REQUEST);
    assertThat(badHeader.attempts()).isZero();
    assertThat(server.count).hasValue(0);
  }

  private SigV4Verifier verifier(String service) {
    return new SigV4Verifier(
        CredentialStore.of(
            Map.of(
                "AKIDEXAMPLE",
                new SecretKey("secret", "rules", "session-token", NOW.plusSeconds(3600)))),
        Clock.fixed(NOW, ZoneOffset.UTC),
        Set.of(service));
  }

  private RecordingServer.Responder verifyingWith(SigV4Verifier verifier) {
    return (exchange, request) -> {
      VerificationResult verdict =
          verifier.verify(
              SigV4Request.of(
                  request.method(),
                  request.rawPath(),
                  request.rawQuery(),
                  SigV4Headers.of(request.headers()),
                  request.body()));
      exchange.sendResponseHeaders(verdict.verified() ? 200 : 403, -1);
    };
  }

  private static OutboundRequest signed(URI uri, String service) {
    return new OutboundRequest(
        "POST",
        uri,
        List.of(Map.entry("Content-Type", "application/json"), Map.entry("X-Custom", "v")),
        BODY,
        Optional.of(
            new SigV4Signing(
                "eu-west-1",
                service,
                new AwsCredentials("AKIDEXAMPLE", "secret", "session-token"))));
  }

  @Test
  void send_signed_verifiedBySigV4Verifier() throws Exception {
    server.answer(verifyingWith(verifier("execute-api")));

    OutboundResult result =
        await(
            http(FAST)
                .send(
                    signed(
                        server.uri("/stage/things/my%3Athing?b=2&a=hello%20world"),
                        "execute-api")));

    assertThat(result).isEqualTo(new Delivered(200, 1));
    RecordingServer.Received received = server.next();
    assertThat(received.header("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/eu-west-1/execute-api/")
        .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-custom,");
    assertThat(received.header("x-amz-content-sha256")).isNull();
    assertThat(received.header("x-amz-security-token")).isEqualTo("session-token");
  }

  @Test
  void send_signedForS3_statesPayloadHash() throws Exception {
    server.answer(verifyingWith(verifier("s3")));

    OutboundResult result = await(http(FAST).send(signed(server.uri("/bucket/key"), "s3")));

    assertThat(result).isEqualTo(new Delivered(200, 1));
    RecordingServer.Received received = server.next();
    assertThat(received.header("authorization")).contains(";x-amz-content-sha256;");
    assertThat(received.header("x-amz-content-sha256"))
        .isEqualTo(SigV4Request.of("POST", "/", "", SigV4Headers.empty(), BODY).bodySha256());
  }

  @Test
  void send_signedWithWrongSecret_rejectedByVerifier() throws Exception {
    server.answer(verifyingWith(verifier("execute-api")));
    OutboundRequest wrong =
        new OutboundRequest(
            "POST",
            server.uri("/x"),
            JSON,
            BODY,
            Optional.of(
                new SigV4Signing(
                    "eu-west-1",
                    "execute-api",
                    new AwsCredentials("AKIDEXAMPLE", "not-the-secret", "session-token"))));

    Failed failed = (Failed) await(http(FAST).send(wrong));

    assertThat(failed.status()).hasValue(403);
  }

  @Test
  void send_https_trustsDefaultsOrExtraAnchor() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.createRoot("Outbound Test CA", Duration.ofDays(1));
    IssuedCertificate cert =
        ca.issueServerCertificate("localhost", List.of("127.0.0.1"), Duration.ofDays(1));
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry(
        "server",
        cert.keyPair().getPrivate(),
        new char[0],
        new Certificate[] {cert.certificate(), ca.certificate()});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, new char[0]);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keys.getKeyManagers(), null, null);
    server.close();
    server = RecordingServer.https(serverContext);
    server.answer(status(200));

    OutboundResult withDefaults;
    try (OutboundHttp defaults =
        new OutboundHttp(FAST, new SimpleMeterRegistry(), Clock.systemUTC())) {
      withDefaults = await(defaults.send(OutboundRequest.post(server.uri("/tls"), JSON, BODY)));
    }
    OutboundResult withExtra;
    try (OutboundHttp extra =
        new OutboundHttp(
            FAST,
            new SimpleMeterRegistry(),
            Clock.systemUTC(),
            OutboundTrust.defaultsPlus(List.of(ca.certificate())))) {
      withExtra = await(extra.send(OutboundRequest.post(server.uri("/tls"), JSON, BODY)));
    }

    assertThat(withDefaults).isInstanceOf(Failed.class);
    assertThat(((Failed) withDefaults).reason()).isEqualTo(Reason.TLS);
    assertThat(((Failed) withDefaults).errorMessage())
        .startsWith("TLS handshake with " + server.uri("/tls") + " failed: ");
    assertThat(withExtra).isEqualTo(new Delivered(200, 1));
    assertThat(server.next().body()).isEqualTo(BODY);
  }
}
