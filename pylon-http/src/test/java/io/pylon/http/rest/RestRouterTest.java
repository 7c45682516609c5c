package io.pylon.http.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.http.rest.RestRequest.Caller;
import io.pylon.http.sigv4.AwsCredentials;
import io.pylon.http.sigv4.CredentialStore;
import io.pylon.http.sigv4.SecretKey;
import io.pylon.http.sigv4.SigV4Headers;
import io.pylon.http.sigv4.SigV4Signer;
import io.pylon.http.sigv4.SigV4Verifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestRouterTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final AwsCredentials ADMIN = new AwsCredentials("AKIDPYLONTEST", "s3cr3t-key");
  private static final String HOST = "127.0.0.1:8443";
  private static final String CERT_ID = "ab".repeat(32);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<RestRequest> seen = new ArrayList<>();
  private final RestRouter router = router(1024);

  private RestRouter router(int maxBody) {
    SigV4Verifier verifier =
        new SigV4Verifier(
            CredentialStore.of(
                Map.of(ADMIN.accessKeyId(), new SecretKey(ADMIN.secretAccessKey(), "admin"))),
            Clock.fixed(NOW, ZoneOffset.UTC),
            RestRouter.signingNames());
    RestApi api =
        ops -> {
          for (String op : List.of("Publish", "GetRetainedMessage")) {
            ops.on("iot-data", op, echo("iot-data"));
          }
          for (String op :
              List.of(
                  "DescribeJobExecution",
                  "GetPendingJobExecutions",
                  "StartNextPendingJobExecution",
                  "StartCommandExecution")) {
            ops.on("iot-jobs-data", op, echo("iot-jobs-data"));
          }
          for (String op :
              List.of(
                  "DescribeJobExecution",
                  "ListJobExecutionsForThing",
                  "ListCommandExecutions",
                  "GetTopicRuleDestination",
                  "ConfirmTopicRuleDestination",
                  "ListThings")) {
            ops.on("iot", op, echo("iot"));
          }
          ops.on(
              "iot",
              "DescribeThing",
              r -> {
                throw new ResourceNotFoundException(
                    "Thing " + r.label("thingName") + " cannot be found.");
              });
          ops.on(
              "iot",
              "CreateThing",
              r -> {
                throw new IllegalStateException("secret internal detail");
              });
        };
    return new RestRouter(RouteCatalog.aws(), verifier, List.of(api), maxBody);
  }

  private RestOperation echo(String service) {
    return request -> {
      seen.add(request);
      return RestResponse.json(
          RestJson.object().put("service", service).put("operation", request.operation()));
    };
  }

  private static RawHttpRequest signed(String method, String target, String body, String service) {
    return signed(method, target, body, service, ADMIN);
  }

  private static RawHttpRequest signed(
      String method, String target, String body, String service, AwsCredentials credentials) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SigV4Headers headers =
        new SigV4Signer()
            .sign(
                method,
                path,
                query,
                SigV4Headers.of("Host", HOST, "Content-Type", "application/x-amz-json-1.1"),
                bytes,
                credentials,
                "eu-west-1",
                service,
                NOW)
            .headers();
    return new RawHttpRequest(method, target, headers, bytes, Optional.empty());
  }

  private static RawHttpRequest unsigned(String method, String target, Optional<String> cert) {
    return new RawHttpRequest(method, target, SigV4Headers.of("Host", HOST), new byte[0], cert);
  }

  private static JsonNode json(RestResponse response) throws Exception {
    return JSON.readTree(response.body());
  }

  private RestRequest lastSeen() {
    assertThat(seen).isNotEmpty();
    return seen.get(seen.size() - 1);
  }

  private static void assertAwsError(RestResponse response, int status, String code)
      throws Exception {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.headers()).containsEntry("x-amzn-ErrorType", code);
    assertThat(response.headers()).containsKey("x-amzn-RequestId");
    assertThat(response.contentType()).isEqualTo("application/json");
    assertThat(json(response).path("__type").asText()).isEqualTo(code);
    assertThat(json(response).path("message").asText()).isNotBlank();
  }

  @Test
  void publishToAnEncodedTopic_reachesPublishWithTheDecodedTopicQueryAndHeaders() throws Exception {
    RestResponse response =
        router.handle(signed("POST", "/topics/a%2Fb%2F%24aws?qos=1&retain=true", "hi", "iotdata"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("x-amzn-RequestId")).hasSize(36);
    RestRequest request = lastSeen();
    assertThat(request.operation()).isEqualTo("Publish");
    assertThat(request.label("topic")).isEqualTo("a/b/$aws");
    assertThat(request.query("qos")).hasValue("1");
    assertThat(request.queryBoolean("retain")).hasValue(true);
    assertThat(request.header("Content-Type")).hasValue("application/x-amz-json-1.1");
    assertThat(request.headers()).containsKey("x-amz-date").containsKey("authorization");
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(request.caller()).isEqualTo(new Caller.SigV4(ADMIN.accessKeyId(), "eu-west-1"));
  }

  @Test
  void iotDataSignedAsIotDeviceGateway_isAcceptedToo() throws Exception {
    RestResponse response =
        router.handle(signed("GET", "/retainedMessage/a%2Fb", "", "iotdevicegateway"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(lastSeen().label("topic")).isEqualTo("a/b");
  }

  @Test
  void sharedRoute_isDecidedBySigningService() throws Exception {
    assertThat(
            json(router.handle(signed("GET", "/things/t/jobs/%24next", "", "iot-jobs-data")))
                .path("service")
                .asText())
        .isEqualTo("iot-jobs-data");
    assertThat(lastSeen().label("jobId")).isEqualTo("$next");
    assertThat(
            json(router.handle(signed("GET", "/things/t/jobs/j1?executionNumber=2", "", "iot")))
                .path("service")
                .asText())
        .isEqualTo("iot");
    assertThat(lastSeen().queryInt("executionNumber")).hasValue(2);
    assertThat(
            json(router.handle(signed("GET", "/things/t/jobs", "", "execute-api")))
                .path("operation")
                .asText())
        .isEqualTo("ListJobExecutionsForThing");
    assertThat(
            json(router.handle(signed("GET", "/things/t/jobs", "", "iot-jobs-data")))
                .path("operation")
                .asText())
        .isEqualTo("GetPendingJobExecutions");
    assertThat(
            json(router.handle(signed("POST", "/command-executions", "{}", "iot")))
                .path("operation")
                .asText())
        .isEqualTo("ListCommandExecutions");
    assertThat(
            json(router.handle(signed("POST", "/command-executions", "{}", "iot-jobs-data")))
                .path("operation")
                .asText())
        .isEqualTo("StartCommandExecution");
  }

  @Test
  void startNextPendingJobExecution_acceptsTheLiteralAndTheEncodedNext() throws Exception {
    for (String path : List.of("/things/t/jobs/$next", "/things/t/jobs/%24next")) {
      RestResponse response = router.handle(signed("PUT", path, "{}", "iot-jobs-data"));
      assertThat(response.status()).as(path).isEqualTo(200);
      assertThat(lastSeen().operation()).isEqualTo("StartNextPendingJobExecution");
      assertThat(lastSeen().labels()).containsExactly(Map.entry("thingName", "t"));
    }
  }

  @Test
  void greedyArnLabel_isDecodedWhole() throws Exception {
    String arn = "arn:aws:iot:us-east-1:123456789012:ruledestination/http/abc";
    RestResponse response =
        router.handle(
            signed(
                "GET", "/destinations/" + arn.replace(":", "%3A").replace("/", "%2F"), "", "iot"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(lastSeen().label("arn")).isEqualTo(arn);
  }

  @Test
  void certificateCaller_onASharedRoute_isJobsDataPlane() throws Exception {
    RestResponse response = router.handle(unsigned("GET", "/things/t/jobs", Optional.of(CERT_ID)));

    assertThat(json(response).path("operation").asText()).isEqualTo("GetPendingJobExecutions");
    assertThat(lastSeen().caller()).isEqualTo(new Caller.Certificate(CERT_ID));
  }

  @Test
  void certificateCaller_mayNotUseTheControlPlane() throws Exception {
    RestResponse response = router.handle(unsigned("GET", "/things", Optional.of(CERT_ID)));

    assertAwsError(response, 403, "MissingAuthenticationTokenException");
    assertThat(seen).isEmpty();
  }

  @Test
  void sigV4_winsOverAClientCertificate() throws Exception {
    RawHttpRequest request = signed("GET", "/things", "", "iot");
    RawHttpRequest withCert =
        new RawHttpRequest(
            request.method(),
            request.target(),
            request.headers(),
            request.body(),
            Optional.of(CERT_ID));

    assertThat(router.handle(withCert).status()).isEqualTo(200);
    assertThat(lastSeen().caller()).isInstanceOf(Caller.SigV4.class);
  }

  @Test
  void presignedQuery_authenticates() {
    String url =
        new SigV4Signer()
            .presign(
                "GET",
                "https",
                HOST,
                "/things",
                "maxResults=5",
                ADMIN,
                "us-east-1",
                "iot",
                NOW,
                Duration.ofMinutes(5),
                SigV4Signer.SessionTokenPlacement.SIGNED);
    String target = url.substring(url.indexOf('/', "https://".length()));

    RestResponse response =
        router.handle(
            new RawHttpRequest(
                "GET", target, SigV4Headers.of("Host", HOST), new byte[0], Optional.empty()));

    assertThat(response.status()).isEqualTo(200);
    assertThat(lastSeen().query("maxResults")).hasValue("5");
  }

  @Test
  void unsignedRequest_isRefusedAsMissingAuthenticationToken() throws Exception {
    RestResponse response = router.handle(unsigned("GET", "/things", Optional.empty()));

    assertAwsError(response, 403, "MissingAuthenticationTokenException");
    assertThat(json(response).path("message").asText()).isEqualTo("Missing Authentication Token");
  }

  @Test
  void unsignedConfirmTopicRuleDestination_isServedAnonymously_asAwsServesItsEnableUrl()
      throws Exception {
    RestResponse response =
        router.handle(unsigned("GET", "/confirmdestination/AbC-123_x", Optional.empty()));

    assertThat(response.status()).isEqualTo(200);
    assertThat(lastSeen().operation()).isEqualTo("ConfirmTopicRuleDestination");
    assertThat(lastSeen().caller()).isInstanceOf(Caller.Anonymous.class);
    assertThat(lastSeen().label("confirmationToken")).isEqualTo("AbC-123_x");
    assertAwsError(
        router.handle(unsigned("GET", "/destinations/arn%3Ax", Optional.empty())),
        403,
        "MissingAuthenticationTokenException");
  }

  @Test
  void wrongSecret_isInvalidSignature() throws Exception {
    RestResponse response =
        router.handle(
            signed("GET", "/things", "", "iot", new AwsCredentials(ADMIN.accessKeyId(), "wrong")));

    assertAwsError(response, 403, "InvalidSignatureException");
    assertThat(seen).isEmpty();
  }

  @Test
  void unknownAccessKey_isUnrecognizedClient() throws Exception {
    RestResponse response =
        router.handle(signed("GET", "/things", "", "iot", new AwsCredentials("AKIDNOBODY", "x")));

    assertAwsError(response, 403, "UnrecognizedClientException");
  }

  @Test
  void signedForAnotherService_isRefusedNamingTheRightOne() throws Exception {
    RestResponse response = router.handle(signed("GET", "/things", "", "iotdata"));

    assertAwsError(response, 403, "InvalidSignatureException");
    assertThat(json(response).path("message").asText()).contains("'iot'");
    assertThat(seen).isEmpty();
  }

  @Test
  void operationWithoutHandler_isNotImplementedNamingIt() throws Exception {
    RestResponse response = router.handle(signed("GET", "/jobs", "", "execute-api"));

    assertAwsError(response, 501, "NotImplementedException");
    assertThat(json(response).path("message").asText()).contains("ListJobs");
  }

  @Test
  void unknownRoute_isAnAwsShapedUnknownOperation_evenUnsigned() throws Exception {
    RestResponse response = router.handle(unsigned("GET", "/no/such/operation", Optional.empty()));

    assertAwsError(response, 404, "UnknownOperationException");
    assertThat(json(response).path("message").asText()).contains("GET /no/such/operation");
  }

  @Test
  void domainException_becomesItsAwsError() throws Exception {
    RestResponse response = router.handle(signed("GET", "/things/lamp%3A1", "", "iot"));

    assertAwsError(response, 404, "ResourceNotFoundException");
    assertThat(json(response).path("message").asText()).isEqualTo("Thing lamp:1 cannot be found.");
  }

  @Test
  void handlerBug_isAnInternalFailureWithoutDetail() throws Exception {
    RestResponse response = router.handle(signed("POST", "/things/lamp", "{}", "iot"));

    assertAwsError(response, 500, "InternalFailureException");
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .doesNotContain("secret internal detail")
        .doesNotContain("IllegalStateException")
        .contains("CreateThing");
  }

  @Test
  void bodyOverTheLimit_isRequestEntityTooLarge() throws Exception {
    RestResponse response =
        router(10).handle(signed("POST", "/topics/t", "x".repeat(11), "iotdata"));

    assertAwsError(response, 413, "RequestEntityTooLargeException");
  }

  @Test
  void registration_refusesUnknownAndDuplicateOperations() {
    SigV4Verifier verifier =
        new SigV4Verifier(
            CredentialStore.of(Map.of()), Clock.systemUTC(), RestRouter.signingNames());
    RestOperation ok = r -> RestResponse.empty();

    assertThatThrownBy(
            () ->
                new RestRouter(
                    RouteCatalog.aws(), verifier, List.of(ops -> ops.on("iot", "NoSuchOp", ok)), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NoSuchOp");
    assertThatThrownBy(
            () ->
                new RestRouter(
                    RouteCatalog.aws(),
                    verifier,
                    List.of(
                        ops -> ops.on("iot", "ListThings", ok),
                        ops -> ops.on("iot", "ListThings", ok)),
                    1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(
            () ->
                new RestRouter(
                    RouteCatalog.aws(),
                    new SigV4Verifier(
                        CredentialStore.of(Map.of()), Clock.systemUTC(), java.util.Set.of("iot")),
                    List.of(),
                    1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
