package io.pylon.http.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.Page;
import io.pylon.domain.registry.ThingType;
import io.pylon.domain.registry.ThingTypeProperties;
import io.pylon.domain.registry.ThingTypeProperties.PropagatingAttribute;
import io.pylon.domain.registry.ThingTypeService;
import io.pylon.http.rest.JsonMembers;
import io.pylon.http.rest.Paging;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import io.pylon.http.tagging.TagJson;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * CreateThingType, DescribeThingType, ListThingTypes, UpdateThingType, DeprecateThingType and
 * DeleteThingType.
 */
public final class ThingTypesApi implements RestApi {

  private final ThingTypeService thingTypes;

  public ThingTypesApi(ThingTypeService thingTypes) {
    this.thingTypes = Objects.requireNonNull(thingTypes, "thingTypes");
  }

  @Override
  public void register(Operations operations) {
    operations.on("iot", "CreateThingType", this::createThingType);
    operations.on("iot", "DescribeThingType", this::describeThingType);
    operations.on("iot", "ListThingTypes", this::listThingTypes);
    operations.on("iot", "UpdateThingType", this::updateThingType);
    operations.on("iot", "DeprecateThingType", this::deprecateThingType);
    operations.on("iot", "DeleteThingType", this::deleteThingType);
  }

  RestResponse createThingType(RestRequest request) {
    JsonNode body = request.json();
    UnaryOperator<ThingTypeProperties> given =
        JsonMembers.object(body, "thingTypeProperties")
            .map(ThingTypesApi::propertiesChange)
            .orElse(p -> p);
    ThingType type =
        thingTypes.createThingType(
            request.label("thingTypeName"),
            given.apply(ThingTypeProperties.NONE),
            TagJson.tags(body, "tags"));
    ObjectNode output = RestJson.object();
    output.put("thingTypeName", type.name());
    output.put("thingTypeArn", thingTypes.arnOf(type.name()));
    output.put("thingTypeId", type.id());
    return RestResponse.json(output);
  }

  RestResponse describeThingType(RestRequest request) {
    ThingType type = thingTypes.describeThingType(request.label("thingTypeName"));
    ObjectNode output = RestJson.object();
    output.put("thingTypeName", type.name());
    output.put("thingTypeId", type.id());
    output.put("thingTypeArn", thingTypes.arnOf(type.name()));
    output.set("thingTypeProperties", properties(type.properties()));
    output.set("thingTypeMetadata", metadata(type));
    return RestResponse.json(output);
  }

  RestResponse listThingTypes(RestRequest request) {
    Page<ThingType> page =
        thingTypes.listThingTypes(request.query("thingTypeName"), Paging.of(request));
    ObjectNode output = RestJson.object();
    ArrayNode list = output.putArray("thingTypes");
    for (ThingType type : page.items()) {
      ObjectNode item = list.addObject();
      item.put("thingTypeName", type.name());
      item.put("thingTypeArn", thingTypes.arnOf(type.name()));
      item.set("thingTypeProperties", properties(type.properties()));
      item.set("thingTypeMetadata", metadata(type));
    }
    Paging.putNextToken(output, page);
    return RestResponse.json(output);
  }

  /** Members given in {@code thingTypeProperties} replace the current ones; others stay. */
  RestResponse updateThingType(RestRequest request) {
    JsonNode body = request.json();
    thingTypes.updateThingType(
        request.label("thingTypeName"),
        JsonMembers.object(body, "thingTypeProperties")
            .map(ThingTypesApi::propertiesChange)
            .orElse(p -> p));
    return RestResponse.empty();
  }

  RestResponse deprecateThingType(RestRequest request) {
    thingTypes.deprecateThingType(
        request.label("thingTypeName"),
        JsonMembers.bool(request.json(), "undoDeprecate").orElse(false));
    return RestResponse.empty();
  }

  RestResponse deleteThingType(RestRequest request) {
    thingTypes.deleteThingType(request.label("thingTypeName"));
    return RestResponse.empty();
  }

  /** The members present in a {@code ThingTypeProperties} object, applied over current ones. */
  private static UnaryOperator<ThingTypeProperties> propertiesChange(JsonNode node) {
    Optional<String> description = JsonMembers.string(node, "thingTypeDescription");
    Optional<List<String>> searchable = JsonMembers.strings(node, "searchableAttributes");
    Optional<List<PropagatingAttribute>> propagating =
        JsonMembers.object(node, "mqtt5Configuration")
            .map(
                mqtt5 ->
                    JsonMembers.objects(mqtt5, "propagatingAttributes").orElse(List.of()).stream()
                        .map(
                            p ->
                                new PropagatingAttribute(
                                    JsonMembers.string(p, "userPropertyKey"),
                                    JsonMembers.string(p, "thingAttribute"),
                                    JsonMembers.string(p, "connectionAttribute")))
                        .toList());
    return current -> {
      ThingTypeProperties result = current;
      if (description.isPresent()) {
        result = result.withDescription(description);
      }
      if (searchable.isPresent()) {
        result = result.withSearchableAttributes(searchable.get());
      }
      if (propagating.isPresent()) {
        result = result.withPropagatingAttributes(propagating.get());
      }
      return result;
    };
  }

  private static ObjectNode properties(ThingTypeProperties properties) {
    ObjectNode node = RestJson.object();
    properties.description().ifPresent(d -> node.put("thingTypeDescription", d));
    if (!properties.searchableAttributes().isEmpty()) {
      ArrayNode searchable = node.putArray("searchableAttributes");
      properties.searchableAttributes().forEach(searchable::add);
    }
    if (!properties.propagatingAttributes().isEmpty()) {
      ArrayNode list = node.putObject("mqtt5Configuration").putArray("propagatingAttributes");
      for (PropagatingAttribute attribute : properties.propagatingAttributes()) {
        ObjectNode item = list.addObject();
        attribute.userPropertyKey().ifPresent(k -> item.put("userPropertyKey", k));
        attribute.thingAttribute().ifPresent(a -> item.put("thingAttribute", a));
        attribute.connectionAttribute().ifPresent(a -> item.put("connectionAttribute", a));
      }
    }
    return node;
  }

  private static ObjectNode metadata(ThingType type) {
    ObjectNode node = RestJson.object();
    node.put("deprecated", type.deprecated());
    type.deprecationDate().ifPresent(d -> node.put("deprecationDate", RestJson.epochSeconds(d)));
    node.put("creationDate", RestJson.epochSeconds(type.creationDate()));
    return node;
  }
}
