package io.pylon.http.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.tagging.TaggingService;
import io.pylon.http.rest.JsonMembers;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.util.Objects;

/**
 * TagResource, UntagResource and ListTagsForResource. A resource has at most 50 tags, so
 * ListTagsForResource answers them all in one page and never returns a {@code nextToken}.
 */
public final class TagsApi implements RestApi {

  private final TaggingService tagging;

  public TagsApi(TaggingService tagging) {
    this.tagging = Objects.requireNonNull(tagging, "tagging");
  }

  @Override
  public void register(Operations operations) {
    operations.on("iot", "TagResource", this::tagResource);
    operations.on("iot", "UntagResource", this::untagResource);
    operations.on("iot", "ListTagsForResource", this::listTagsForResource);
  }

  RestResponse tagResource(RestRequest request) {
    JsonNode body = request.json();
    String arn = JsonMembers.requiredString(body, "resourceArn");
    if (JsonMembers.objects(body, "tags").isEmpty()) {
      throw JsonMembers.missing("tags");
    }
    tagging.tagResource(arn, TagJson.tags(body, "tags"));
    return RestResponse.empty();
  }

  RestResponse untagResource(RestRequest request) {
    JsonNode body = request.json();
    tagging.untagResource(
        JsonMembers.requiredString(body, "resourceArn"),
        JsonMembers.strings(body, "tagKeys").orElseThrow(() -> JsonMembers.missing("tagKeys")));
    return RestResponse.empty();
  }

  RestResponse listTagsForResource(RestRequest request) {
    String arn = request.query("resourceArn").orElseThrow(() -> JsonMembers.missing("resourceArn"));
    if (request.query("nextToken").isPresent()) {
      throw new InvalidRequestException(
          "nextToken is not valid: tags are listed in one page, so there is no next one");
    }
    ObjectNode output = RestJson.object();
    output.set("tags", TagJson.array(tagging.listTagsForResource(arn)));
    return RestResponse.json(output);
  }
}
