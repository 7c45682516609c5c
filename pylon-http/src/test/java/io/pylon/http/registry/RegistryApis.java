package io.pylon.http.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pylon.domain.AwsAccount;
import io.pylon.domain.registry.RegistryStores;
import io.pylon.domain.registry.RegistryTaggableResources;
import io.pylon.domain.registry.ThingGroupService;
import io.pylon.domain.registry.ThingPrincipalService;
import io.pylon.domain.registry.ThingService;
import io.pylon.domain.registry.ThingTypeService;
import io.pylon.domain.tagging.MemoryTagStore;
import io.pylon.domain.tagging.TaggingService;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestOperation;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import io.pylon.http.tagging.TagsApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry's APIs over in-memory services, called the way the router will call them: by
 * operation name, with a {@link RestRequest} built here.
 */
public final class RegistryApis {

  public static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  public static final Instant START = Instant.parse("2026-01-02T03:04:05.678Z");
  public static final String CERT = "arn:aws:iot:us-east-1:123456789012:cert/" + "c".repeat(64);

  private static final ObjectMapper JSON = new ObjectMapper();

  public final RegistryStores stores = RegistryStores.inMemory();
  public final TaggingService tagging =
      new TaggingService(new MemoryTagStore(), new RegistryTaggableResources(ACCOUNT, stores));
  private final Clock clock = Clock.fixed(START, ZoneOffset.UTC);
  public final ThingTypeService thingTypes = new ThingTypeService(ACCOUNT, stores, tagging, clock);
  public final ThingService things = new ThingService(ACCOUNT, stores, thingTypes);
  public final ThingGroupService groups = new ThingGroupService(ACCOUNT, stores, tagging, clock);
  public final ThingPrincipalService principals =
      new ThingPrincipalService(stores, Set.of(CERT)::contains);

  /** Registered handlers by "service operation". */
  public final Map<String, RestOperation> operations = new LinkedHashMap<>();

  public RegistryApis() {
    List<RestApi> apis =
        List.of(
            new ThingsApi(things),
            new ThingTypesApi(thingTypes),
            new ThingGroupsApi(groups, ACCOUNT),
            new ThingPrincipalsApi(principals),
            new TagsApi(tagging));
    for (RestApi api : apis) {
      api.register(
          (service, operation, handler) -> {
            if (operations.put(service + " " + operation, handler) != null) {
              throw new IllegalArgumentException(operation + " registered twice");
            }
          });
    }
  }

  public static Call call(String operation) {
    return new Call(operation);
  }

  /** Runs a call through the handler registered for its operation. */
  public RestResponse send(Call call) {
    RestOperation handler = operations.get("iot " + call.operation);
    assertThat(handler).as("handler for " + call.operation).isNotNull();
    return handler.handle(call.build());
  }

  /** Runs a call and parses its JSON answer, which must be a 200. */
  public JsonNode json(Call call) {
    RestResponse response = send(call);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("application/json");
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + new String(response.body(), StandardCharsets.UTF_8));
    }
  }

  /** Runs a call that answers 200 with no body. */
  public void empty(Call call) {
    RestResponse response = send(call);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A request under construction. */
  public static final class Call {

    private final String operation;
    private final Map<String, String> labels = new HashMap<>();
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new HashMap<>();
    private byte[] body = new byte[0];

    private Call(String operation) {
      this.operation = operation;
    }

    public Call label(String name, String value) {
      labels.put(name, value);
      return this;
    }

    public Call query(String name, String value) {
      query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      return this;
    }

    public Call header(String name, String value) {
      headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
      return this;
    }

    /** A JSON body; single quotes stand for double quotes to keep tests readable. */
    public Call body(String json) {
      body = json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
      return this;
    }

    RestRequest build() {
      return new RestRequest(
          operation,
          new RestRequest.Caller.SigV4("AKIDEXAMPLE", "us-east-1"),
          labels,
          query,
          headers,
          body);
    }
  }
}
