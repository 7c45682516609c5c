package io.pylon.http.registry;

import static io.pylon.http.registry.RegistryApis.call;
import static io.pylon.http.registry.RegistryApis.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.error.VersionConflictException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThingGroupsApiTest {

  private static final String PREFIX = "arn:aws:iot:us-east-1:123456789012:";

  private final RegistryApis apis = new RegistryApis();

  @BeforeEach
  void hierarchy() {
    apis.json(call("CreateThingGroup").label("thingGroupName", "building"));
    apis.json(
        call("CreateThingGroup")
            .label("thingGroupName", "floor")
            .body(
                "{'parentGroupName':'building','thingGroupProperties':{'thingGroupDescription':"
                    + "'Second floor','attributePayload':{'attributes':{'level':'2'}}},"
                    + "'tags':[{'Key':'k','Value':'v'}]}"));
    apis.json(
        call("CreateThingGroup")
            .label("thingGroupName", "room")
            .body("{'parentGroupName':'floor'}"));
    apis.json(call("CreateThing").label("thingName", "lamp"));
    apis.json(call("CreateThing").label("thingName", "fan"));
  }

  private static List<String> names(JsonNode list, String member) {
    List<String> names = new ArrayList<>();
    list.forEach(n -> names.add(member == null ? n.asText() : n.get(member).asText()));
    return names;
  }

  @Test
  void createThingGroup_answersNameArnId() {
    JsonNode created = apis.json(call("CreateThingGroup").label("thingGroupName", "yard"));

    assertThat(created.get("thingGroupName").asText()).isEqualTo("yard");
    assertThat(created.get("thingGroupArn").asText()).isEqualTo(PREFIX + "thinggroup/yard");
    assertThat(created.get("thingGroupId").asText()).isNotEmpty();
  }

  @Test
  void describeThingGroup_showsPropertiesAndThePathFromTheRoot() {
    JsonNode room = apis.json(call("DescribeThingGroup").label("thingGroupName", "room"));
    JsonNode floor = apis.json(call("DescribeThingGroup").label("thingGroupName", "floor"));

    assertThat(room.get("version").asLong()).isEqualTo(1);
    assertThat(room.get("thingGroupProperties")).isEqualTo(parse("{}"));
    assertThat(room.get("thingGroupMetadata").get("parentGroupName").asText()).isEqualTo("floor");
    assertThat(room.get("thingGroupMetadata").get("rootToParentThingGroups"))
        .isEqualTo(
            parse(
                ("[{'groupName':'building','groupArn':'"
                        + PREFIX
                        + "thinggroup/building'},"
                        + "{'groupName':'floor','groupArn':'"
                        + PREFIX
                        + "thinggroup/floor'}]")
                    .replace('\'', '"')));
    assertThat(floor.get("thingGroupProperties"))
        .isEqualTo(
            parse(
                "{'thingGroupDescription':'Second floor','attributePayload':{'attributes':{'level':'2'}}}"
                    .replace('\'', '"')));
    JsonNode building = apis.json(call("DescribeThingGroup").label("thingGroupName", "building"));
    assertThat(building.get("thingGroupMetadata").has("parentGroupName")).isFalse();
    assertThat(building.get("thingGroupMetadata").has("rootToParentThingGroups")).isFalse();
    assertThat(building.get("thingGroupMetadata").has("creationDate")).isTrue();
  }

  @Test
  void updateThingGroup_answersTheNewVersion_andRequiresProperties() {
    JsonNode updated =
        apis.json(
            call("UpdateThingGroup")
                .label("thingGroupName", "floor")
                .body(
                    "{'thingGroupProperties':{'attributePayload':{'attributes':{'wing':'east'},"
                        + "'merge':true}},'expectedVersion':1}"));

    assertThat(updated).isEqualTo(parse("{\"version\":2}"));
    assertThat(apis.groups.describeThingGroup("floor").attributes())
        .containsOnlyKeys("level", "wing");
    assertThatThrownBy(
            () ->
                apis.send(
                    call("UpdateThingGroup")
                        .label("thingGroupName", "floor")
                        .body("{'thingGroupProperties':{},'expectedVersion':1}")))
        .isInstanceOf(VersionConflictException.class);
    assertThatThrownBy(
            () -> apis.send(call("UpdateThingGroup").label("thingGroupName", "floor").body("{}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("thingGroupProperties is required");
  }

  @Test
  void addByNameOrArn_listsThingsRecursively_andGroupsOfAThing() {
    apis.empty(call("AddThingToThingGroup").body("{'thingGroupName':'room','thingName':'lamp'}"));
    apis.empty(
        call("AddThingToThingGroup")
            .body(
                "{'thingGroupArn':'"
                    + PREFIX
                    + "thinggroup/building','thingArn':'"
                    + PREFIX
                    + "thing/fan','overrideDynamicGroups':false}"));

    assertThat(
            names(
                apis.json(call("ListThingsInThingGroup").label("thingGroupName", "building"))
                    .get("things"),
                null))
        .containsExactly("fan");
    assertThat(
            names(
                apis.json(
                        call("ListThingsInThingGroup")
                            .label("thingGroupName", "building")
                            .query("recursive", "true"))
                    .get("things"),
                null))
        .containsExactly("fan", "lamp");
    assertThat(
            apis.json(call("ListThingGroupsForThing").label("thingName", "lamp"))
                .get("thingGroups"))
        .isEqualTo(
            parse(
                ("[{'groupName':'room','groupArn':'" + PREFIX + "thinggroup/room'}]")
                    .replace('\'', '"')));
  }

  @Test
  void references_mustNameSomething_ofThisAccount_consistently() {
    assertThatThrownBy(() -> apis.send(call("AddThingToThingGroup").body("{'thingName':'lamp'}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("thingGroupName or thingGroupArn is required");
    assertThatThrownBy(
            () ->
                apis.send(
                    call("AddThingToThingGroup")
                        .body(
                            "{'thingGroupName':'room','thingArn':"
                                + "'arn:aws:iot:eu-west-1:999999999999:thing/lamp'}")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                apis.send(
                    call("AddThingToThingGroup")
                        .body(
                            "{'thingGroupName':'room','thingName':'fan','thingArn':'"
                                + PREFIX
                                + "thing/lamp'}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("different");
    assertThatThrownBy(
            () ->
                apis.send(
                    call("AddThingToThingGroup").body("{'thingGroupName':'room','thingName':'x'}")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void removeAndUpdateThingGroupsForThing() {
    apis.empty(call("AddThingToThingGroup").body("{'thingGroupName':'room','thingName':'lamp'}"));
    apis.empty(
        call("UpdateThingGroupsForThing")
            .body(
                "{'thingName':'lamp','thingGroupsToAdd':['floor'],'thingGroupsToRemove':['room']}"));
    assertThat(
            apis.groups
                .listThingGroupsForThing("lamp", io.pylon.domain.PageRequest.first(5))
                .items())
        .extracting(g -> g.name())
        .containsExactly("floor");

    apis.empty(
        call("RemoveThingFromThingGroup").body("{'thingGroupName':'floor','thingName':'lamp'}"));

    assertThat(
            apis.json(call("ListThingGroupsForThing").label("thingName", "lamp"))
                .get("thingGroups"))
        .isEmpty();
  }

  @Test
  void listThingGroups_parentRecursivePrefix() {
    apis.json(call("CreateThingGroup").label("thingGroupName", "yard"));

    assertThat(names(apis.json(call("ListThingGroups")).get("thingGroups"), "groupName"))
        .containsExactly("building", "floor", "room", "yard");
    assertThat(
            names(
                apis.json(call("ListThingGroups").query("recursive", "false")).get("thingGroups"),
                "groupName"))
        .containsExactly("building", "yard");
    assertThat(
            names(
                apis.json(
                        call("ListThingGroups")
                            .query("parentGroup", "building")
                            .query("recursive", "true"))
                    .get("thingGroups"),
                "groupName"))
        .containsExactly("floor", "room");
    JsonNode page =
        apis.json(call("ListThingGroups").query("namePrefixFilter", "b").query("maxResults", "1"));
    assertThat(names(page.get("thingGroups"), "groupName")).containsExactly("building");
    assertThat(page.has("nextToken")).isFalse();
  }

  @Test
  void deleteThingGroup_withChildrenRefused_thenLeafFirst() {
    assertThatThrownBy(() -> apis.send(call("DeleteThingGroup").label("thingGroupName", "floor")))
        .isInstanceOf(InvalidRequestException.class);

    apis.empty(
        call("DeleteThingGroup").label("thingGroupName", "room").query("expectedVersion", "1"));
    apis.empty(call("DeleteThingGroup").label("thingGroupName", "floor"));

    assertThatThrownBy(() -> apis.send(call("DescribeThingGroup").label("thingGroupName", "floor")))
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
