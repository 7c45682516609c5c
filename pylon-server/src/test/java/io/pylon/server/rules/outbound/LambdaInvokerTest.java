package io.pylon.server.rules.outbound;

import static io.pylon.server.rules.outbound.RecordingServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pylon.http.sigv4.AwsCredentials;
import io.pylon.http.sigv4.CredentialStore;
import io.pylon.http.sigv4.SecretKey;
import io.pylon.http.sigv4.SigV4Headers;
import io.pylon.http.sigv4.SigV4Request;
import io.pylon.http.sigv4.SigV4Verifier;
import io.pylon.http.sigv4.VerificationResult;
import io.pylon.server.rules.outbound.OutboundResult.Delivered;
import io.pylon.server.rules.outbound.OutboundResult.Failed;
import io.pylon.server.rules.outbound.OutboundResult.Reason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LambdaInvokerTest {

  private static final Instant NOW = Instant.parse("2026-11-23T16:00:00Z");
  private static final byte[] PAYLOAD =
      "{\"temp\":51,\"device\":\"d1\"}".getBytes(StandardCharsets.UTF_8);
  private static final String FUNCTION_ARN =
      "arn:aws:lambda:us-east-1:123456789012:function:my-fn:live";
  private static final OutboundSettings FAST =
      new OutboundSettings(Duration.ofSeconds(5), 3, Duration.ofMillis(20), 4, 10, 16384);

  private final RecordingServer server = RecordingServer.http();
  private final OutboundHttp http =
      new OutboundHttp(FAST, new SimpleMeterRegistry(), Clock.fixed(NOW, ZoneOffset.UTC));

  @AfterEach
  void tearDown() {
    http.close();
    server.close();
  }

  private static OutboundResult await(CompletionStage<OutboundResult> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private LambdaEndpoint endpoint(AwsCredentials credentials) {
    return new LambdaEndpoint(server.uri(""), "us-east-1", credentials);
  }

  @Test
  void invoke_functionArn_asynchronousInvokeAsTheLambdaApiExpects() throws Exception {
    SigV4Verifier verifier =
        new SigV4Verifier(
            CredentialStore.of(Map.of("AKIDLAMBDA", new SecretKey("lambda-secret", "iot"))),
            Clock.fixed(NOW, ZoneOffset.UTC),
            Set.of("lambda"));
    AtomicReference<VerificationResult> verdict = new AtomicReference<>();
    server.answer(
        (exchange, request) -> {
          verdict.set(
              verifier.verify(
                  SigV4Request.of(
                      request.method(),
                      request.rawPath(),
                      request.rawQuery(),
                      SigV4Headers.of(request.headers()),
                      request.body())));
          exchange.sendResponseHeaders(202, -1);
        });
    LambdaInvoker invoker =
        new LambdaInvoker(http, endpoint(new AwsCredentials("AKIDLAMBDA", "lambda-secret")));

    OutboundResult result = await(invoker.invoke(FUNCTION_ARN, PAYLOAD));

    assertThat(result).isEqualTo(new Delivered(202, 1));
    RecordingServer.Received received = server.next();
    assertThat(received.method()).isEqualTo("POST");
    // botocore: the FunctionName label is percent-encoded with only -._~ left as they are
    assertThat(received.rawPath())
        .isEqualTo(
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn%3Alive/invocations");
    assertThat(received.rawQuery()).isEmpty();
    assertThat(received.header("x-amz-invocation-type")).isEqualTo("Event");
    assertThat(received.header("content-type")).isEqualTo("application/json");
    assertThat(received.body()).isEqualTo(PAYLOAD);
    assertThat(verdict.get().verified()).as("%s", verdict.get()).isTrue();
    assertThat(((VerificationResult.Verified) verdict.get()).region()).isEqualTo("us-east-1");
  }

  @Test
  void invoke_withoutCredentials_unsignedAndNameKept() throws Exception {
    server.answer(status(202));
    LambdaInvoker invoker =
        new LambdaInvoker(http, new LambdaEndpoint(server.uri("/local/"), "us-east-1", null));

    OutboundResult result = await(invoker.invoke("my-fn", PAYLOAD));

    assertThat(result).isEqualTo(new Delivered(202, 1));
    RecordingServer.Received received = server.next();
    assertThat(received.rawPath()).isEqualTo("/local/2015-03-31/functions/my-fn/invocations");
    assertThat(received.header("authorization")).isNull();
  }

  @Test
  void invoke_synchronous200_alsoDelivered() throws Exception {
    server.answer(status(200));

    OutboundResult result = await(new LambdaInvoker(http, endpoint(null)).invoke("my-fn", PAYLOAD));

    assertThat(result).isEqualTo(new Delivered(200, 1));
  }

  @Test
  void invoke_throttledThenAccepted_retried() throws Exception {
    server.answer(status(429), status(202));

    OutboundResult result = await(new LambdaInvoker(http, endpoint(null)).invoke("my-fn", PAYLOAD));

    assertThat(result).isEqualTo(new Delivered(202, 2));
  }

  @Test
  void invoke_unknownFunction_failedWithLambdaErrorType() throws Exception {
    server.answer(
        (exchange, request) -> {
          byte[] body =
              "{\"Type\":\"User\",\"message\":\"Function not found\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
          exchange.sendResponseHeaders(404, body.length);
          exchange.getResponseBody().write(body);
        });

    Failed failed = (Failed) await(new LambdaInvoker(http, endpoint(null)).invoke("nope", PAYLOAD));

    assertThat(failed.errorMessage())
        .isEqualTo(
            "HTTP 404 (ResourceNotFoundException) from "
                + server.uri("/2015-03-31/functions/nope/invocations")
                + " after 1 attempt");
    assertThat(server.count).hasValue(1);
  }

  @Test
  void invoke_emptyFunction_invalidRequest() throws Exception {
    Failed failed = (Failed) await(new LambdaInvoker(http, endpoint(null)).invoke("", PAYLOAD));

    assertThat(failed.reason()).isEqualTo(Reason.INVALID_REQUEST);
    assertThat(server.count).hasValue(0);
  }

  @Test
  void awsEndpoint_regionalHost() {
    LambdaEndpoint aws = LambdaEndpoint.aws("eu-central-1", new AwsCredentials("AKID", "s"));
    LambdaInvoker invoker = new LambdaInvoker(http, aws);

    assertThat(invoker.invocationUri("fn"))
        .isEqualTo(
            URI.create(
                "https://lambda.eu-central-1.amazonaws.com/2015-03-31/functions/fn/invocations"));
    assertThat(LambdaInvoker.percentEncode("a b/é~")).isEqualTo("a%20b%2F%C3%A9~");
  }
}
