package io.pylon.http.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.registry.AttributePayload;
import io.pylon.domain.registry.ThingGroup;
import io.pylon.domain.registry.ThingGroupService;
import io.pylon.http.rest.JsonMembers;
import io.pylon.http.rest.Paging;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import io.pylon.http.tagging.TagJson;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Static thing groups: Create/Describe/Update/Delete/ListThingGroups, AddThingToThingGroup,
 * RemoveThingFromThingGroup, UpdateThingGroupsForThing, ListThingGroupsForThing and
 * ListThingsInThingGroup. {@code overrideDynamicGroups} is accepted and has no effect: Pylon has no
 * dynamic groups yet.
 */
public final class ThingGroupsApi implements RestApi {

  private final ThingGroupService groups;
  private final AwsAccount account;

  /**
   * @param account to read the thing and group ARNs that Add/RemoveThing... accept instead of names
   */
  public ThingGroupsApi(ThingGroupService groups, AwsAccount account) {
    this.groups = Objects.requireNonNull(groups, "groups");
    this.account = Objects.requireNonNull(account, "account");
  }

  @Override
  public void register(Operations operations) {
    operations.on("iot", "CreateThingGroup", this::createThingGroup);
    operations.on("iot", "DescribeThingGroup", this::describeThingGroup);
    operations.on("iot", "UpdateThingGroup", this::updateThingGroup);
    operations.on("iot", "DeleteThingGroup", this::deleteThingGroup);
    operations.on("iot", "ListThingGroups", this::listThingGroups);
    operations.on("iot", "AddThingToThingGroup", this::addThingToThingGroup);
    operations.on("iot", "RemoveThingFromThingGroup", this::removeThingFromThingGroup);
    operations.on("iot", "UpdateThingGroupsForThing", this::updateThingGroupsForThing);
    operations.on("iot", "ListThingGroupsForThing", this::listThingGroupsForThing);
    operations.on("iot", "ListThingsInThingGroup", this::listThingsInThingGroup);
  }

  RestResponse createThingGroup(RestRequest request) {
    JsonNode body = request.json();
    Optional<JsonNode> properties = JsonMembers.object(body, "thingGroupProperties");
    ThingGroup group =
        groups.createThingGroup(
            request.label("thingGroupName"),
            JsonMembers.string(body, "parentGroupName"),
            properties.flatMap(p -> JsonMembers.string(p, "thingGroupDescription")),
            properties
                .flatMap(p -> RegistryJson.attributePayload(p, "attributePayload"))
                .map(p -> (Map<String, String>) p.attributes())
                .orElse(Map.of()),
            TagJson.tags(body, "tags"));
    ObjectNode output = RestJson.object();
    output.put("thingGroupName", group.name());
    output.put("thingGroupArn", groups.arnOf(group.name()));
    output.put("thingGroupId", group.id());
    return RestResponse.json(output);
  }

  RestResponse describeThingGroup(RestRequest request) {
    ThingGroup group = groups.describeThingGroup(request.label("thingGroupName"));
    ObjectNode output = RestJson.object();
    output.put("thingGroupName", group.name());
    output.put("thingGroupId", group.id());
    output.put("thingGroupArn", groups.arnOf(group.name()));
    output.put("version", group.version());
    ObjectNode properties = output.putObject("thingGroupProperties");
    group.description().ifPresent(d -> properties.put("thingGroupDescription", d));
    if (!group.attributes().isEmpty()) {
      properties
          .putObject("attributePayload")
          .set("attributes", RegistryJson.attributes(group.attributes()));
    }
    ObjectNode metadata = output.putObject("thingGroupMetadata");
    group.parentName().ifPresent(p -> metadata.put("parentGroupName", p));
    if (!group.ancestors().isEmpty()) {
      ArrayNode path = metadata.putArray("rootToParentThingGroups");
      for (String ancestor : group.ancestors()) {
        path.addObject().put("groupName", ancestor).put("groupArn", groups.arnOf(ancestor));
      }
    }
    metadata.put("creationDate", RestJson.epochSeconds(group.creationDate()));
    return RestResponse.json(output);
  }

  RestResponse updateThingGroup(RestRequest request) {
    JsonNode body = request.json();
    JsonNode properties =
        JsonMembers.object(body, "thingGroupProperties")
            .orElseThrow(() -> JsonMembers.missing("thingGroupProperties"));
    Optional<AttributePayload> payload =
        RegistryJson.attributePayload(properties, "attributePayload");
    long version =
        groups.updateThingGroup(
            request.label("thingGroupName"),
            JsonMembers.string(properties, "thingGroupDescription"),
            payload,
            JsonMembers.integer(body, "expectedVersion"));
    ObjectNode output = RestJson.object();
    output.put("version", version);
    return RestResponse.json(output);
  }

  RestResponse deleteThingGroup(RestRequest request) {
    groups.deleteThingGroup(
        request.label("thingGroupName"), JsonMembers.queryLong(request, "expectedVersion"));
    return RestResponse.empty();
  }

  RestResponse listThingGroups(RestRequest request) {
    Page<ThingGroup> page =
        groups.listThingGroups(
            request.query("parentGroup"),
            request.queryBoolean("recursive"),
            request.query("namePrefixFilter"),
            Paging.of(request));
    return RestResponse.json(groupList(page));
  }

  RestResponse addThingToThingGroup(RestRequest request) {
    JsonNode body = request.json();
    JsonMembers.bool(body, "overrideDynamicGroups");
    groups.addThingToThingGroup(groupOf(body), thingOf(body));
    return RestResponse.empty();
  }

  RestResponse removeThingFromThingGroup(RestRequest request) {
    JsonNode body = request.json();
    groups.removeThingFromThingGroup(groupOf(body), thingOf(body));
    return RestResponse.empty();
  }

  RestResponse updateThingGroupsForThing(RestRequest request) {
    JsonNode body = request.json();
    JsonMembers.bool(body, "overrideDynamicGroups");
    groups.updateThingGroupsForThing(
        JsonMembers.requiredString(body, "thingName"),
        JsonMembers.strings(body, "thingGroupsToAdd").orElse(List.of()),
        JsonMembers.strings(body, "thingGroupsToRemove").orElse(List.of()));
    return RestResponse.empty();
  }

  RestResponse listThingGroupsForThing(RestRequest request) {
    return RestResponse.json(
        groupList(groups.listThingGroupsForThing(request.label("thingName"), Paging.of(request))));
  }

  RestResponse listThingsInThingGroup(RestRequest request) {
    Page<String> page =
        groups.listThingsInThingGroup(
            request.label("thingGroupName"),
            request.queryBoolean("recursive").orElse(false),
            Paging.of(request));
    ObjectNode output = RestJson.object();
    ArrayNode list = output.putArray("things");
    page.items().forEach(list::add);
    Paging.putNextToken(output, page);
    return RestResponse.json(output);
  }

  private ObjectNode groupList(Page<ThingGroup> page) {
    ObjectNode output = RestJson.object();
    ArrayNode list = output.putArray("thingGroups");
    for (ThingGroup group : page.items()) {
      list.addObject().put("groupName", group.name()).put("groupArn", groups.arnOf(group.name()));
    }
    Paging.putNextToken(output, page);
    return output;
  }

  private String groupOf(JsonNode body) {
    return RegistryJson.reference(account, body, "thingGroupName", "thingGroupArn", "thinggroup");
  }

  private String thingOf(JsonNode body) {
    return RegistryJson.reference(account, body, "thingName", "thingArn", "thing");
  }
}
