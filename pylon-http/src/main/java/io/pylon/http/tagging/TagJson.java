package io.pylon.http.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.pylon.domain.tagging.Tag;
import io.pylon.http.rest.JsonMembers;
import io.pylon.http.rest.RestJson;
import java.util.List;

/**
 * The AWS {@code TagList} shape: {@code [{"Key": "...", "Value": "..."}]}, capitalised as the model
 * has it. A tag without {@code Value} has the empty value.
 */
public final class TagJson {

  private TagJson() {}

  /** The tags in list member {@code member}; none when it is absent. */
  public static List<Tag> tags(JsonNode object, String member) {
    return JsonMembers.objects(object, member).orElse(List.of()).stream()
        .map(
            tag ->
                new Tag(
                    JsonMembers.requiredString(tag, "Key"),
                    JsonMembers.string(tag, "Value").orElse("")))
        .toList();
  }

  public static ArrayNode array(List<Tag> tags) {
    ArrayNode array = RestJson.object().arrayNode();
    tags.forEach(t -> array.addObject().put("Key", t.key()).put("Value", t.value()));
    return array;
  }
}
