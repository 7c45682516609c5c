package io.pylon.http.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pylon.domain.error.CertificateStateException;
import io.pylon.domain.error.DeleteConflictException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.InvalidStateTransitionException;
import io.pylon.domain.error.LimitExceededException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.error.UnauthorizedException;
import io.pylon.domain.error.VersionConflictException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwsErrorsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode body(RestResponse response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void domainException_hasHeaderTypeMessageAndStatus() throws Exception {
    RestResponse response =
        AwsErrors.of(RestService.IOT, "DescribeThing", new ResourceNotFoundException("no lamp"));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).isEqualTo("application/json");
    assertThat(response.headers()).containsEntry("x-amzn-ErrorType", "ResourceNotFoundException");
    assertThat(body(response).path("__type").asText()).isEqualTo("ResourceNotFoundException");
    assertThat(body(response).path("message").asText()).isEqualTo("no lamp");
  }

  @Test
  void controlPlaneStatuses_followTheIotModel() {
    Map<RuntimeException, Integer> expected =
        Map.of(
            new InvalidRequestException("x"), 400,
            new UnauthorizedException("x"), 401,
            new CertificateStateException("x"), 406,
            new DeleteConflictException("x"), 409,
            new VersionConflictException("x"), 409,
            new InvalidStateTransitionException("x"), 409,
            new LimitExceededException("x"), 410);
    expected.forEach(
        (e, status) ->
            assertThat(AwsErrors.of(RestService.IOT, "Op", e).status())
                .as(e.getClass().getSimpleName())
                .isEqualTo(status));
  }

  @ParameterizedTest
  @CsvSource({
    "IOT, ThrottlingException, 400",
    "IOT_DATA, ThrottlingException, 429",
    "IOT_JOBS_DATA, ThrottlingException, 429",
    "IOT_DATA, RequestEntityTooLargeException, 413",
    "IOT_DATA, UnsupportedDocumentEncodingException, 415",
    "IOT_JOBS_DATA, TerminalStateException, 410",
    "IOT_JOBS_DATA, CertificateValidationException, 400",
    "IOT, ServiceUnavailableException, 503",
    "IOT_DATA, CertificateStateException, 406",
    "IOT, SomethingNobodyModelled, 400"
  })
  void statuses_differPerService(RestService service, String code, int status) {
    assertThat(AwsErrors.status(service, code)).isEqualTo(status);
  }

  @Test
  void versionConflict_isNamedAsEachDataPlaneModelsIt() {
    VersionConflictException conflict = new VersionConflictException("version 3 is not 2");

    assertThat(AwsErrors.of(RestService.IOT, "UpdateThing", conflict).headers())
        .containsEntry("x-amzn-ErrorType", "VersionConflictException");
    RestResponse shadow = AwsErrors.of(RestService.IOT_DATA, "UpdateThingShadow", conflict);
    assertThat(shadow.status()).isEqualTo(409);
    assertThat(shadow.headers()).containsEntry("x-amzn-ErrorType", "ConflictException");
    RestResponse job = AwsErrors.of(RestService.IOT_JOBS_DATA, "UpdateJobExecution", conflict);
    assertThat(job.status()).isEqualTo(409);
    assertThat(job.headers()).containsEntry("x-amzn-ErrorType", "InvalidStateTransitionException");
  }

  @Test
  void resourceAlreadyExists_carriesIdAndArn() throws Exception {
    RestResponse response =
        AwsErrors.of(
            RestService.IOT,
            "CreateThingType",
            new ResourceAlreadyExistsException(
                "exists", "lamp", "arn:aws:iot:us-east-1:123456789012:thingtype/lamp"));

    assertThat(response.status()).isEqualTo(409);
    JsonNode body = body(response);
    assertThat(body.path("__type").asText()).isEqualTo("ResourceAlreadyExistsException");
    assertThat(body.path("resourceId").asText()).isEqualTo("lamp");
    assertThat(body.path("resourceArn").asText())
        .isEqualTo("arn:aws:iot:us-east-1:123456789012:thingtype/lamp");

    JsonNode bare =
        body(
            AwsErrors.of(
                RestService.IOT, "CreateX", new ResourceAlreadyExistsException("e", null, null)));
    assertThat(bare.has("resourceId")).isFalse();
    assertThat(bare.has("resourceArn")).isFalse();
  }

  @Test
  void anythingElse_isAnInternalFailureThatHidesTheCause() throws Exception {
    RestResponse iot =
        AwsErrors.of(RestService.IOT, "ListThings", new NullPointerException("db handle is null"));
    RestResponse jobs =
        AwsErrors.of(
            RestService.IOT_JOBS_DATA, "UpdateJobExecution", new IllegalStateException("x"));

    assertThat(iot.status()).isEqualTo(500);
    assertThat(iot.headers()).containsEntry("x-amzn-ErrorType", "InternalFailureException");
    assertThat(new String(iot.body(), StandardCharsets.UTF_8))
        .doesNotContain("db handle")
        .doesNotContain("NullPointer")
        .contains("ListThings");
    assertThat(jobs.status()).isEqualTo(500);
    assertThat(jobs.headers()).containsEntry("x-amzn-ErrorType", "InternalServerException");
  }

  @Test
  void statusTables_agreeWithTheInstalledBotocoreModels() throws Exception {
    String root = "/usr/lib/python3/dist-packages/botocore/data/";
    Map<RestService, String> models =
        Map.of(
            RestService.IOT, root + "iot/2015-05-28/service-2.json",
            RestService.IOT_DATA, root + "iot-data/2015-05-28/service-2.json",
            RestService.IOT_JOBS_DATA, root + "iot-jobs-data/2017-09-29/service-2.json");
    assertThat(new File(models.get(RestService.IOT)))
        .as("botocore's models (Debian awscli, installed by ./pylon test)")
        .isFile();
    int checked = 0;
    for (Map.Entry<RestService, String> model : models.entrySet()) {
      JsonNode shapes = JSON.readTree(new File(model.getValue())).path("shapes");
      for (Iterator<Map.Entry<String, JsonNode>> it = shapes.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> shape = it.next();
        JsonNode status = shape.getValue().path("error").path("httpStatusCode");
        if (shape.getValue().path("exception").asBoolean() && status.isInt()) {
          assertThat(AwsErrors.status(model.getKey(), shape.getKey()))
              .as(model.getKey() + " " + shape.getKey())
              .isEqualTo(status.asInt());
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(40);
  }
}
