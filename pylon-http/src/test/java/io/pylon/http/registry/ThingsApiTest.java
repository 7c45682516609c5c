package io.pylon.http.registry;

import static io.pylon.http.registry.RegistryApis.call;
import static io.pylon.http.registry.RegistryApis.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.error.VersionConflictException;
import org.junit.jupiter.api.Test;

class ThingsApiTest {

  private final RegistryApis apis = new RegistryApis();

  private JsonNode create(String name, String body) {
    return apis.json(call("CreateThing").label("thingName", name).body(body));
  }

  @Test
  void createThing_answersNameArnAndId() {
    JsonNode created = create("lamp-1", "{'attributePayload': {'attributes': {'color': 'red'}}}");

    assertThat(created.get("thingName").asText()).isEqualTo("lamp-1");
    assertThat(created.get("thingArn").asText())
        .isEqualTo("arn:aws:iot:us-east-1:123456789012:thing/lamp-1");
    assertThat(created.get("thingId").asText()).isEqualTo(apis.things.describeThing("lamp-1").id());
    assertThat(created.size()).isEqualTo(3);
  }

  @Test
  void describeThing_answersTheModelShape_withoutAbsentMembers() {
    create("lamp-1", "{'attributePayload': {'attributes': {'b': '2', 'a': '1'}}}");
    String id = apis.things.describeThing("lamp-1").id();

    JsonNode described = apis.json(call("DescribeThing").label("thingName", "lamp-1"));

    assertThat(described)
        .isEqualTo(
            parse(
                ("{'defaultClientId':'lamp-1','thingName':'lamp-1','thingId':'ID',"
                        + "'thingArn':'arn:aws:iot:us-east-1:123456789012:thing/lamp-1',"
                        + "'attributes':{'a':'1','b':'2'},'version':1}")
                    .replace('\'', '"')
                    .replace("ID", id)));
  }

  @Test
  void createThing_withType_describeShowsIt() {
    apis.json(call("CreateThingType").label("thingTypeName", "lamp"));
    create("t", "{'thingTypeName': 'lamp'}");

    assertThat(
            apis.json(call("DescribeThing").label("thingName", "t")).get("thingTypeName").asText())
        .isEqualTo("lamp");
  }

  @Test
  void createThing_wronglyTypedMembers_areInvalidRequests() {
    assertThatThrownBy(() -> create("t", "{'attributePayload': 'x'}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("attributePayload must be an object");
    assertThatThrownBy(() -> create("t", "{'attributePayload': {'attributes': {'a': 1}}}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("attributes.a must be a string");
    assertThatThrownBy(() -> create("t", "{'thingTypeName': true}"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> create("t", "[1]")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> create("bad name", "{}")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void updateThing_mergesAndChecksExpectedVersion() {
    create("t", "{'attributePayload': {'attributes': {'a': '1', 'b': '2'}}}");

    apis.empty(
        call("UpdateThing")
            .label("thingName", "t")
            .body(
                "{'attributePayload': {'attributes': {'b': '', 'c': '3'}, 'merge': true},"
                    + " 'expectedVersion': 1}"));

    JsonNode described = apis.json(call("DescribeThing").label("thingName", "t"));
    assertThat(described.get("attributes")).isEqualTo(parse("{\"a\":\"1\",\"c\":\"3\"}"));
    assertThat(described.get("version").asLong()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                apis.send(
                    call("UpdateThing").label("thingName", "t").body("{'expectedVersion': 1}")))
        .isInstanceOf(VersionConflictException.class);
    assertThatThrownBy(
            () ->
                apis.send(
                    call("UpdateThing").label("thingName", "t").body("{'expectedVersion': 'x'}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("expectedVersion must be an integer");
  }

  @Test
  void deleteThing_expectedVersionFromTheQuery_unknownThingSucceeds() {
    create("t", "{}");

    assertThatThrownBy(
            () ->
                apis.send(
                    call("DeleteThing").label("thingName", "t").query("expectedVersion", "abc")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                apis.send(
                    call("DeleteThing").label("thingName", "t").query("expectedVersion", "5")))
        .isInstanceOf(VersionConflictException.class);
    apis.empty(call("DeleteThing").label("thingName", "t").query("expectedVersion", "1"));
    apis.empty(call("DeleteThing").label("thingName", "t"));

    assertThatThrownBy(() -> apis.send(call("DescribeThing").label("thingName", "t")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void listThings_filtersAndPagesWithNextToken() {
    create("a", "{'attributePayload': {'attributes': {'color': 'red'}}}");
    create("b", "{'attributePayload': {'attributes': {'color': 'reddish'}}}");
    create("c", "{'attributePayload': {'attributes': {'color': 'blue'}}}");

    JsonNode first =
        apis.json(
            call("ListThings")
                .query("attributeName", "color")
                .query("attributeValue", "red")
                .query("usePrefixAttributeValue", "true")
                .query("maxResults", "1"));
    JsonNode second =
        apis.json(
            call("ListThings")
                .query("attributeName", "color")
                .query("attributeValue", "red")
                .query("usePrefixAttributeValue", "true")
                .query("maxResults", "1")
                .query("nextToken", first.get("nextToken").asText()));

    assertThat(first.get("things")).hasSize(1);
    assertThat(first.get("things").get(0))
        .isEqualTo(
            parse(
                "{'thingName':'a','thingArn':'arn:aws:iot:us-east-1:123456789012:thing/a',"
                        .replace('\'', '"')
                    + "\"attributes\":{\"color\":\"red\"},\"version\":1}"));
    assertThat(second.get("things").get(0).get("thingName").asText()).isEqualTo("b");
    assertThat(second.has("nextToken")).isFalse();
    assertThat(apis.json(call("ListThings")).get("things")).hasSize(3);
  }

  @Test
  void listThings_badPaging_isInvalidRequest() {
    assertThatThrownBy(() -> apis.send(call("ListThings").query("maxResults", "0")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> apis.send(call("ListThings").query("maxResults", "251")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> apis.send(call("ListThings").query("nextToken", "forged")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> apis.send(call("ListThings").query("usePrefixAttributeValue", "yes")))
        .isInstanceOf(InvalidRequestException.class);
  }
}
