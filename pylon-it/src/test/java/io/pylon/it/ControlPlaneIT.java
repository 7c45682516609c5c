package io.pylon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.it.harness.AwsCli;
import io.pylon.it.harness.Device;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RawHttp;
import io.pylon.it.harness.Tls;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The REST front door of the HTTPS listener, driven by the real AWS CLI v2: routing, SigV4, errors
 * as the CLI reports them, and DescribeEndpoint.
 */
class ControlPlaneIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static AwsCli aws;

  @BeforeAll
  static void setUp() {
    aws = AwsCli.of(pylon);
  }

  @Test
  void describeEndpoint_answersThisServerForEveryEndpointType() {
    String expected = "127.0.0.1:" + pylon.port(PylonServerExtension.HTTPS);
    for (String type : List.of("iot:Data", "iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs")) {
      AwsCli.Result result = aws.run("iot", "describe-endpoint", "--endpoint-type", type);

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.json().path("endpointAddress").asText()).as(type).isEqualTo(expected);
    }
    AwsCli.Result noType = aws.run("iot", "describe-endpoint");
    assertThat(noType.json().path("endpointAddress").asText()).isEqualTo(expected);
  }

  @Test
  void describeEndpoint_refusesAnUnknownType() {
    AwsCli.Result result = aws.run("iot", "describe-endpoint", "--endpoint-type", "iot:Nope");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(254);
    assertThat(result.errorCode()).hasValue("InvalidRequestException");
  }

  @Test
  void describedEndpoint_worksAsEndpointUrlForTheDataPlane() {
    String address =
        aws.run("iot", "describe-endpoint", "--endpoint-type", "iot:Data-ATS")
            .json()
            .path("endpointAddress")
            .asText();

    // iot-data signs as iotdata and percent-encodes the topic's slash: GET /retainedMessage/a%2Fb.
    AwsCli.Result result =
        aws.withEndpointUrl("https://" + address)
            .run("iot-data", "get-retained-message", "--topic", "a/b");

    // Nothing is retained on a/b: the answer comes from the operation, not from routing.
    assertThat(result.errorCode()).as(result.toString()).hasValue("ResourceNotFoundException");
    assertThat(result.errorOperation()).hasValue("GetRetainedMessage");
  }

  @Test
  void wrongSecretKey_isAnInvalidSignature() {
    AwsCli.Result result =
        aws.withCredentials(pylon.server().credentials().accessKeyId(), "not-the-secret")
            .run("iot", "describe-endpoint");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(254);
    assertThat(result.errorCode()).hasValue("InvalidSignatureException");
    assertThat(result.stderr()).contains("The request signature we calculated does not match");
  }

  @Test
  void unknownAccessKey_isAnUnrecognizedClient() {
    AwsCli.Result result =
        aws.withCredentials("AKIAUNKNOWNKEY000000", "whatever").run("iot", "describe-endpoint");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(254);
    assertThat(result.errorCode()).hasValue("UnrecognizedClientException");
  }

  @Test
  void unsignedRequest_isMissingAnAuthenticationToken() {
    AwsCli.Result result = aws.run("iot", "describe-endpoint", "--no-sign-request");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(254);
    assertThat(result.errorCode()).hasValue("MissingAuthenticationTokenException");
  }

  @Test
  void unimplementedOperation_isNotImplementedNamingIt_andNotRetried() {
    // Let the CLI retry as it would by default, and count what it sent.
    AwsCli.Result result =
        aws.withEnv("AWS_MAX_ATTEMPTS", "3")
            .withEnv("AWS_RETRY_MODE", "standard")
            .run("iot", "list-jobs", "--debug");

    assertThat(result.exitCode()).isEqualTo(254);
    assertThat(result.errorCode()).hasValue("NotImplementedException");
    assertThat(result.errorOperation()).hasValue("ListJobs");
    assertThat(result.stderr()).contains("Pylon does not implement ListJobs");
    assertThat(countOccurrences(result.stderr(), "Sending http request:")).isEqualTo(1);
  }

  @Test
  void sharedRoutes_areDecidedBySigningService() {
    // GET /things/{thingName}/jobs/{jobId} exists in iot and iot-jobs-data; the credential scope
    // (execute-api vs iot-jobs-data) decides. jobId $next arrives encoded as %24next.
    AwsCli.Result jobs =
        aws.run(
            "iot-jobs-data", "describe-job-execution", "--thing-name", "lamp", "--job-id", "$next");
    AwsCli.Result control =
        aws.run("iot", "describe-job-execution", "--thing-name", "lamp", "--job-id", "job-1");

    assertThat(jobs.errorCode()).as(jobs.toString()).hasValue("NotImplementedException");
    assertThat(jobs.stderr()).contains("DescribeJobExecution (iot-jobs-data)");
    assertThat(control.errorCode()).as(control.toString()).hasValue("NotImplementedException");
    assertThat(control.stderr()).contains("DescribeJobExecution (iot)");
  }

  @Test
  void deviceWithClientCertificate_reachesTheJobsDataPlaneWithoutSigV4() throws Exception {
    // A device on mutual TLS, no signature: the route shared by iot and iot-jobs-data is the jobs
    // data plane's GetPendingJobExecutions; the control plane stays closed to it.
    Device device = pylon.device("rest-device");
    try (SSLSocket socket =
        Tls.connect(
            device.sslContext(), pylon.port(PylonServerExtension.HTTPS), List.of(), List.of())) {
      RawHttp.Response jobs = RawHttp.exchange(socket, get("/things/rest-device/jobs"));
      assertThat(jobs.status()).isEqualTo(501);
      assertThat(jobs.header("x-amzn-ErrorType")).hasValue("NotImplementedException");
      assertThat(jobs.body()).contains("GetPendingJobExecutions (iot-jobs-data)");

      RawHttp.Response things = RawHttp.exchange(socket, get("/things"));
      assertThat(things.status()).isEqualTo(403);
      assertThat(things.header("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
      assertThat(things.header("x-amzn-RequestId")).isPresent();
    }
  }

  @Test
  void oversizedBody_isRefusedAwsShapedBeforeItIsRead() throws Exception {
    try (SSLSocket socket =
        Tls.connect(
            Tls.context(pylon.caFile(), null),
            pylon.port(PylonServerExtension.HTTPS),
            List.of(),
            List.of())) {
      RawHttp.Response response =
          RawHttp.exchange(
              socket,
              "POST /topics/big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000000\r\n\r\n");

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.header("x-amzn-ErrorType")).hasValue("RequestEntityTooLargeException");
      assertThat(response.body()).contains("\"message\"");
    }
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  private static int countOccurrences(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      count++;
    }
    return count;
  }
}
