package io.pylon.http.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.Page;
import io.pylon.domain.registry.Thing;
import io.pylon.domain.registry.ThingFilter;
import io.pylon.domain.registry.ThingService;
import io.pylon.domain.registry.ThingUpdate;
import io.pylon.http.rest.JsonMembers;
import io.pylon.http.rest.Paging;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.util.Map;
import java.util.Objects;

/** CreateThing, DescribeThing, UpdateThing, DeleteThing and ListThings. */
public final class ThingsApi implements RestApi {

  private final ThingService things;

  public ThingsApi(ThingService things) {
    this.things = Objects.requireNonNull(things, "things");
  }

  @Override
  public void register(Operations operations) {
    operations.on("iot", "CreateThing", this::createThing);
    operations.on("iot", "DescribeThing", this::describeThing);
    operations.on("iot", "UpdateThing", this::updateThing);
    operations.on("iot", "DeleteThing", this::deleteThing);
    operations.on("iot", "ListThings", this::listThings);
  }

  RestResponse createThing(RestRequest request) {
    JsonNode body = request.json();
    Thing thing =
        things.createThing(
            request.label("thingName"),
            JsonMembers.string(body, "thingTypeName"),
            RegistryJson.attributePayload(body, "attributePayload")
                .map(p -> (Map<String, String>) p.attributes())
                .orElse(Map.of()),
            JsonMembers.string(body, "billingGroupName"));
    ObjectNode output = RestJson.object();
    output.put("thingName", thing.name());
    output.put("thingArn", things.arnOf(thing.name()));
    output.put("thingId", thing.id());
    return RestResponse.json(output);
  }

  RestResponse describeThing(RestRequest request) {
    Thing thing = things.describeThing(request.label("thingName"));
    ObjectNode output = RestJson.object();
    // AWS suggests the thing name as the MQTT client id and reports it as the default.
    output.put("defaultClientId", thing.name());
    output.put("thingName", thing.name());
    output.put("thingId", thing.id());
    output.put("thingArn", things.arnOf(thing.name()));
    thing.thingTypeName().ifPresent(t -> output.put("thingTypeName", t));
    output.set("attributes", RegistryJson.attributes(thing.attributes()));
    output.put("version", thing.version());
    return RestResponse.json(output);
  }

  RestResponse updateThing(RestRequest request) {
    JsonNode body = request.json();
    things.updateThing(
        request.label("thingName"),
        new ThingUpdate(
            JsonMembers.string(body, "thingTypeName"),
            JsonMembers.bool(body, "removeThingType").orElse(false),
            RegistryJson.attributePayload(body, "attributePayload"),
            JsonMembers.integer(body, "expectedVersion")));
    return RestResponse.empty();
  }

  RestResponse deleteThing(RestRequest request) {
    things.deleteThing(
        request.label("thingName"), JsonMembers.queryLong(request, "expectedVersion"));
    return RestResponse.empty();
  }

  RestResponse listThings(RestRequest request) {
    ThingFilter filter =
        new ThingFilter(
            request.query("attributeName"),
            request.query("attributeValue"),
            request.queryBoolean("usePrefixAttributeValue").orElse(false),
            request.query("thingTypeName"));
    Page<Thing> page = things.listThings(filter, Paging.of(request));
    ObjectNode output = RestJson.object();
    ArrayNode list = output.putArray("things");
    for (Thing thing : page.items()) {
      ObjectNode item = list.addObject();
      item.put("thingName", thing.name());
      thing.thingTypeName().ifPresent(t -> item.put("thingTypeName", t));
      item.put("thingArn", things.arnOf(thing.name()));
      item.set("attributes", RegistryJson.attributes(thing.attributes()));
      item.put("version", thing.version());
    }
    Paging.putNextToken(output, page);
    return RestResponse.json(output);
  }
}
