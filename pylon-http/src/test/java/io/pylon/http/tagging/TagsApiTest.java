package io.pylon.http.tagging;

import static io.pylon.http.registry.RegistryApis.call;
import static io.pylon.http.registry.RegistryApis.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.http.registry.RegistryApis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TagsApiTest {

  private static final String GROUP = "arn:aws:iot:us-east-1:123456789012:thinggroup/g";

  private final RegistryApis apis = new RegistryApis();

  @BeforeEach
  void group() {
    apis.json(call("CreateThingGroup").label("thingGroupName", "g"));
  }

  @Test
  void tagListUntag() {
    apis.empty(
        call("TagResource")
            .body("{'resourceArn':'" + GROUP + "','tags':[{'Key':'b','Value':'2'},{'Key':'a'}]}"));

    assertThat(apis.json(call("ListTagsForResource").query("resourceArn", GROUP)))
        .isEqualTo(
            parse("{'tags':[{'Key':'a','Value':''},{'Key':'b','Value':'2'}]}".replace('\'', '"')));

    apis.empty(call("UntagResource").body("{'resourceArn':'" + GROUP + "','tagKeys':['a']}"));

    assertThat(apis.json(call("ListTagsForResource").query("resourceArn", GROUP)).get("tags"))
        .hasSize(1);
  }

  @Test
  void missingMembersUnknownResourceAndTokens_areRefused() {
    assertThatThrownBy(() -> apis.send(call("TagResource").body("{'resourceArn':'" + GROUP + "'}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("tags is required");
    assertThatThrownBy(
            () -> apis.send(call("UntagResource").body("{'resourceArn':'" + GROUP + "'}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("tagKeys is required");
    assertThatThrownBy(() -> apis.send(call("ListTagsForResource")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("resourceArn is required");
    assertThatThrownBy(
            () ->
                apis.send(
                    call("ListTagsForResource")
                        .query("resourceArn", GROUP)
                        .query("nextToken", "abc")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                apis.send(
                    call("ListTagsForResource")
                        .query("resourceArn", "arn:aws:iot:us-east-1:123456789012:thing/t")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void deletingTheGroup_dropsItsTags() {
    apis.empty(
        call("TagResource")
            .body("{'resourceArn':'" + GROUP + "','tags':[{'Key':'k','Value':'v'}]}"));
    apis.empty(call("DeleteThingGroup").label("thingGroupName", "g"));
    apis.json(call("CreateThingGroup").label("thingGroupName", "g"));

    assertThat(apis.json(call("ListTagsForResource").query("resourceArn", GROUP)).get("tags"))
        .isEmpty();
  }
}
