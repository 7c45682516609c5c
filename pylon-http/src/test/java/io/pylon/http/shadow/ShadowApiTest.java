package io.pylon.http.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.shadow.MemoryShadowStore;
import io.pylon.domain.shadow.ShadowAnswers;
import io.pylon.domain.shadow.ShadowId;
import io.pylon.domain.shadow.ShadowService;
import io.pylon.domain.shadow.ShadowUpdate;
import io.pylon.http.rest.RestOperation;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShadowApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RestRequest.Caller ADMIN = new RestRequest.Caller.SigV4("AKID", "us-east-1");
  private static final RestRequest.Caller DEVICE = new RestRequest.Caller.Certificate("abc");

  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
  private final List<ShadowUpdate> published = new ArrayList<>();
  private final List<ShadowId> deletions = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final Map<String, RestOperation> operations = new HashMap<>();

  @BeforeEach
  void register() {
    ShadowAnswers answers =
        new ShadowAnswers() {
          @Override
          public void updated(ShadowUpdate update) {
            published.add(update);
          }

          @Override
          public void deleted(ShadowId id, ObjectNode answer) {
            deletions.add(id);
          }
        };
    ShadowAuthorizer authorizer =
        (caller, action, resource) -> {
          checks.add(action + " " + resource);
          return caller instanceof RestRequest.Caller.SigV4 || resource.equals("thing/mine");
        };
    new ShadowApi(new ShadowService(new MemoryShadowStore(), clock), answers, authorizer, clock)
        .register(
            (service, operation, handler) -> operations.put(service + ":" + operation, handler));
  }

  @Test
  void registersTheFourShadowOperationsOfIotData() {
    assertThat(operations)
        .containsOnlyKeys(
            "iot-data:GetThingShadow",
            "iot-data:UpdateThingShadow",
            "iot-data:DeleteThingShadow",
            "iot-data:ListNamedShadowsForThing");
  }

  @Test
  void update_thenGet_rawDocuments_andAnswersPublished() throws Exception {
    RestResponse updated =
        call(
            "UpdateThingShadow",
            ADMIN,
            "lamp",
            Map.of(),
            "{\"state\":{\"desired\":{\"on\":true}}}");

    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.contentType()).isEqualTo("application/json");
    assertThat(json(updated).at("/state/desired/on").asBoolean()).isTrue();
    assertThat(json(updated).get("version").asInt()).isEqualTo(1);
    assertThat(published).hasSize(1);
    assertThat(published.get(0).delta()).isPresent();

    JsonNode got = json(call("GetThingShadow", ADMIN, "lamp", Map.of(), ""));
    assertThat(got.at("/state/delta/on").asBoolean()).isTrue();
    assertThat(got.has("clientToken")).isFalse();
  }

  @Test
  void namedShadow_byQueryName_listedAndDeleted() throws Exception {
    call("UpdateThingShadow", ADMIN, "lamp", Map.of("name", "cfg"), "{\"state\":{}}");

    JsonNode list = json(call("ListNamedShadowsForThing", ADMIN, "lamp", Map.of(), ""));
    assertThat(list.get("results").toString()).isEqualTo("[\"cfg\"]");
    assertThat(list.has("nextToken")).isFalse();
    assertThat(list.get("timestamp").asLong()).isEqualTo(1_700_000_000L);

    RestResponse deleted = call("DeleteThingShadow", ADMIN, "lamp", Map.of("name", "cfg"), "");
    assertThat(json(deleted).get("version").asInt()).isEqualTo(1);
    assertThat(deletions).containsExactly(ShadowId.named("lamp", "cfg"));
  }

  @Test
  void errors_shadowDocumentWithStatusAndErrorType() throws Exception {
    RestResponse missing = call("GetThingShadow", ADMIN, "nothing", Map.of(), "");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.headers()).containsEntry("x-amzn-ErrorType", "ResourceNotFoundException");
    assertThat(json(missing).get("code").asInt()).isEqualTo(404);
    assertThat(json(missing).get("message").asText())
        .isEqualTo("No shadow exists with name: 'nothing'");

    RestResponse invalid = call("UpdateThingShadow", ADMIN, "lamp", Map.of(), "{nope");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.headers()).containsEntry("x-amzn-ErrorType", "InvalidRequestException");
    assertThat(json(invalid).get("message").asText()).isEqualTo("Invalid JSON");

    call("UpdateThingShadow", ADMIN, "lamp", Map.of(), "{\"state\":{}}");
    RestResponse conflict =
        call("UpdateThingShadow", ADMIN, "lamp", Map.of(), "{\"state\":{},\"version\":7}");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.headers()).containsEntry("x-amzn-ErrorType", "ConflictException");
  }

  @Test
  void update_bodyNotUtf8_415UnsupportedDocumentEncoding() throws Exception {
    byte[] latin1 =
        "{\"state\":{\"reported\":{\"caf\u00e9\":1}}}".getBytes(StandardCharsets.ISO_8859_1);
    RestResponse response =
        operations
            .get("iot-data:UpdateThingShadow")
            .handle(
                new RestRequest(
                    "UpdateThingShadow",
                    ADMIN,
                    Map.of("thingName", "lamp"),
                    Map.of(),
                    Map.of(),
                    latin1));

    assertThat(response.status()).isEqualTo(415);
    assertThat(response.headers())
        .containsEntry("x-amzn-ErrorType", "UnsupportedDocumentEncodingException");
    assertThat(json(response).get("code").asInt()).isEqualTo(415);
    assertThat(published).isEmpty();
  }

  @Test
  void deviceCaller_checkedOnThingOrNamedShadowResource() throws Exception {
    assertThat(call("UpdateThingShadow", DEVICE, "mine", Map.of(), "{\"state\":{}}").status())
        .isEqualTo(200);
    RestResponse refused =
        call("UpdateThingShadow", DEVICE, "mine", Map.of("name", "cfg"), "{\"state\":{}}");

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.headers()).containsEntry("x-amzn-ErrorType", "ForbiddenException");
    assertThat(checks)
        .containsExactly(
            "iot:UpdateThingShadow thing/mine", "iot:UpdateThingShadow thing/mine/cfg");
  }

  private RestResponse call(
      String operation,
      RestRequest.Caller caller,
      String thing,
      Map<String, String> query,
      String body) {
    Map<String, List<String>> q = new HashMap<>();
    query.forEach((k, v) -> q.put(k, List.of(v)));
    return operations
        .get("iot-data:" + operation)
        .handle(
            new RestRequest(
                operation,
                caller,
                Map.of("thingName", thing),
                q,
                Map.of(),
                body.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode json(RestResponse response) throws Exception {
    return JSON.readTree(response.body());
  }
}
