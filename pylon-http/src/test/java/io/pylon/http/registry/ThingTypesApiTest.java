package io.pylon.http.registry;

import static io.pylon.http.registry.RegistryApis.call;
import static io.pylon.http.registry.RegistryApis.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.domain.error.InvalidRequestException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ThingTypesApiTest {

  private final RegistryApis apis = new RegistryApis();

  private static final String PROPERTIES =
      "{'thingTypeDescription':'Lamps','searchableAttributes':['serial','room'],"
          + "'mqtt5Configuration':{'propagatingAttributes':["
          + "{'userPropertyKey':'sn','thingAttribute':'serial'},"
          + "{'userPropertyKey':'cid','connectionAttribute':'iot:ClientId'}]}}";

  @Test
  void createThenDescribe_roundTripsPropertiesAndReportsMetadata() {
    JsonNode created =
        apis.json(
            call("CreateThingType")
                .label("thingTypeName", "lamp")
                .body(
                    "{'thingTypeProperties':"
                        + PROPERTIES
                        + ",'tags':[{'Key':'team','Value':'ops'}]}"));

    JsonNode described = apis.json(call("DescribeThingType").label("thingTypeName", "lamp"));

    assertThat(created.get("thingTypeArn").asText())
        .isEqualTo("arn:aws:iot:us-east-1:123456789012:thingtype/lamp");
    assertThat(described.get("thingTypeId")).isEqualTo(created.get("thingTypeId"));
    assertThat(described.get("thingTypeProperties"))
        .isEqualTo(parse(PROPERTIES.replace('\'', '"')));
    assertThat(described.get("thingTypeMetadata").get("deprecated").asBoolean()).isFalse();
    assertThat(described.get("thingTypeMetadata").has("deprecationDate")).isFalse();
    assertThat(described.get("thingTypeMetadata").get("creationDate").decimalValue())
        .isEqualByComparingTo(new BigDecimal("1767323045.678"));
    assertThat(
            apis.json(
                    call("ListTagsForResource")
                        .query("resourceArn", created.get("thingTypeArn").asText()))
                .get("tags"))
        .isEqualTo(parse("[{\"Key\":\"team\",\"Value\":\"ops\"}]"));
  }

  @Test
  void createWithoutProperties_describesAnEmptyPropertiesObject() {
    apis.json(call("CreateThingType").label("thingTypeName", "lamp"));

    assertThat(
            apis.json(call("DescribeThingType").label("thingTypeName", "lamp"))
                .get("thingTypeProperties"))
        .isEqualTo(parse("{}"));
  }

  @Test
  void deprecate_undo_andDelete() {
    apis.json(call("CreateThingType").label("thingTypeName", "lamp"));

    apis.empty(call("DeprecateThingType").label("thingTypeName", "lamp"));
    JsonNode metadata =
        apis.json(call("DescribeThingType").label("thingTypeName", "lamp"))
            .get("thingTypeMetadata");
    assertThat(metadata.get("deprecated").asBoolean()).isTrue();
    assertThat(metadata.get("deprecationDate").decimalValue())
        .isEqualByComparingTo(new BigDecimal("1767323045.678"));

    apis.empty(
        call("DeprecateThingType").label("thingTypeName", "lamp").body("{'undoDeprecate':true}"));
    assertThatThrownBy(() -> apis.send(call("DeleteThingType").label("thingTypeName", "lamp")))
        .isInstanceOf(InvalidRequestException.class);

    apis.empty(call("DeprecateThingType").label("thingTypeName", "lamp").body("{}"));
    apis.empty(call("DeleteThingType").label("thingTypeName", "lamp"));
    assertThat(apis.json(call("ListThingTypes")).get("thingTypes")).isEmpty();
  }

  @Test
  void updateThingType_keepsMembersNotGiven() {
    apis.json(
        call("CreateThingType")
            .label("thingTypeName", "lamp")
            .body("{'thingTypeProperties':" + PROPERTIES + "}"));

    apis.empty(
        call("UpdateThingType")
            .label("thingTypeName", "lamp")
            .body("{'thingTypeProperties':{'thingTypeDescription':'New'}}"));

    JsonNode properties =
        apis.json(call("DescribeThingType").label("thingTypeName", "lamp"))
            .get("thingTypeProperties");
    assertThat(properties.get("thingTypeDescription").asText()).isEqualTo("New");
    assertThat(properties.get("searchableAttributes")).hasSize(2);
    assertThat(properties.get("mqtt5Configuration").get("propagatingAttributes")).hasSize(2);
  }

  @Test
  void listThingTypes_itemShapeAndNameFilter() {
    apis.json(call("CreateThingType").label("thingTypeName", "lamp"));
    apis.json(call("CreateThingType").label("thingTypeName", "fan"));

    JsonNode listed = apis.json(call("ListThingTypes").query("thingTypeName", "lamp"));

    assertThat(listed.get("thingTypes")).hasSize(1);
    JsonNode item = listed.get("thingTypes").get(0);
    assertThat(item.get("thingTypeName").asText()).isEqualTo("lamp");
    assertThat(item.get("thingTypeArn").asText()).endsWith(":thingtype/lamp");
    assertThat(item.has("thingTypeProperties")).isTrue();
    assertThat(item.get("thingTypeMetadata").get("deprecated").asBoolean()).isFalse();
    assertThat(listed.has("nextToken")).isFalse();
  }

  @Test
  void invalidProperties_areInvalidRequests() {
    assertThatThrownBy(
            () ->
                apis.send(
                    call("CreateThingType")
                        .label("thingTypeName", "lamp")
                        .body("{'thingTypeProperties':{'searchableAttributes':'serial'}}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("searchableAttributes must be a list");
    assertThatThrownBy(
            () ->
                apis.send(
                    call("CreateThingType")
                        .label("thingTypeName", "lamp")
                        .body("{'tags':[{'Value':'v'}]}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Key is required");
  }
}
