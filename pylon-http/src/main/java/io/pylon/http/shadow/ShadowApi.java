package io.pylon.http.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.policy.language.AuthorizationRequest;
import io.pylon.domain.shadow.NamedShadows;
import io.pylon.domain.shadow.ShadowAnswers;
import io.pylon.domain.shadow.ShadowException;
import io.pylon.domain.shadow.ShadowId;
import io.pylon.domain.shadow.ShadowService;
import io.pylon.domain.shadow.ShadowUpdate;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestOperation;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * GetThingShadow, UpdateThingShadow, DeleteThingShadow ({@code ?name=} for a named shadow) and
 * ListNamedShadowsForThing of service iot-data. Shadow documents travel as raw JSON bodies. A
 * refused request is answered like AWS: the status is the shadow error code, the body the shadow
 * error document ({@code {"code":404,"message":"...","timestamp":...}}) and {@code
 * x-amzn-ErrorType} names the iot-data error shape, which is what the SDKs read.
 */
public final class ShadowApi implements RestApi {

  private static final String JSON = "application/json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ShadowService shadows;
  private final ShadowAnswers answers;
  private final ShadowAuthorizer authorizer;
  private final Clock clock;

  public ShadowApi(
      ShadowService shadows, ShadowAnswers answers, ShadowAuthorizer authorizer, Clock clock) {
    this.shadows = Objects.requireNonNull(shadows, "shadows");
    this.answers = Objects.requireNonNull(answers, "answers");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void register(Operations operations) {
    operations.on("iot-data", "GetThingShadow", refusalsAsShadowErrors(this::getThingShadow));
    operations.on("iot-data", "UpdateThingShadow", refusalsAsShadowErrors(this::updateThingShadow));
    operations.on("iot-data", "DeleteThingShadow", refusalsAsShadowErrors(this::deleteThingShadow));
    operations.on(
        "iot-data",
        "ListNamedShadowsForThing",
        refusalsAsShadowErrors(this::listNamedShadowsForThing));
  }

  RestResponse getThingShadow(RestRequest request) {
    ShadowId id = shadowId(request);
    authorize(request, AuthorizationRequest.GET_THING_SHADOW, id.policyResource());
    return raw(shadows.get(id, Optional.empty()));
  }

  RestResponse updateThingShadow(RestRequest request) {
    ShadowId id = shadowId(request);
    authorize(request, AuthorizationRequest.UPDATE_THING_SHADOW, id.policyResource());
    requireUtf8(request.body());
    ShadowUpdate update = shadows.update(id, request.body());
    answers.updated(update);
    return raw(update.accepted());
  }

  RestResponse deleteThingShadow(RestRequest request) {
    ShadowId id = shadowId(request);
    authorize(request, AuthorizationRequest.DELETE_THING_SHADOW, id.policyResource());
    ObjectNode answer = shadows.delete(id, Optional.empty());
    answers.deleted(id, answer);
    return raw(answer);
  }

  RestResponse listNamedShadowsForThing(RestRequest request) {
    ShadowId thing = ShadowId.classic(request.label("thingName"));
    authorize(request, AuthorizationRequest.LIST_NAMED_SHADOWS_FOR_THING, thing.policyResource());
    NamedShadows page =
        shadows.listNamedShadows(
            thing.thingName(), request.query("nextToken"), request.queryInt("pageSize"));
    ObjectNode output = RestJson.object();
    ArrayNode results = output.putArray("results");
    page.names().forEach(results::add);
    page.nextToken().ifPresent(t -> output.put("nextToken", t));
    output.put("timestamp", page.timestamp());
    return RestResponse.json(output);
  }

  private static ShadowId shadowId(RestRequest request) {
    return new ShadowId(request.label("thingName"), request.query("name").orElse(""));
  }

  /** REST tells an undecodable document (415) from malformed JSON (400), as AWS does. */
  private static void requireUtf8(byte[] body) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
    } catch (CharacterCodingException e) {
      throw new ShadowException(
          ShadowException.UNSUPPORTED_ENCODING,
          "Unsupported documented encoding; supported encoding is UTF-8");
    }
  }

  private void authorize(RestRequest request, String action, String resource) {
    if (!authorizer.isAllowed(request.caller(), action, resource)) {
      throw new ShadowException(ShadowException.FORBIDDEN, "Forbidden");
    }
  }

  private static RestResponse raw(ObjectNode document) {
    return RestResponse.raw(bytes(document), JSON);
  }

  private static byte[] bytes(ObjectNode document) {
    try {
      return MAPPER.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private RestOperation refusalsAsShadowErrors(RestOperation operation) {
    return request -> {
      try {
        return operation.handle(request);
      } catch (ShadowException e) {
        return error(e);
      }
    };
  }

  /** A shadow refusal as AWS answers it over HTTP. */
  RestResponse error(ShadowException e) {
    ObjectNode body = RestJson.object();
    body.put("code", e.code());
    body.put("message", e.getMessage());
    body.put("timestamp", clock.millis() / 1000);
    e.clientToken().ifPresent(t -> body.put("clientToken", t));
    return new RestResponse(e.code(), JSON, Map.of("x-amzn-ErrorType", e.errorType()), bytes(body));
  }
}
