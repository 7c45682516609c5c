package io.pylon.http.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.rules.TopicRulePayload;
import io.pylon.http.rest.JsonMembers;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads AWS's {@code TopicRulePayload} JSON: the body of CreateTopicRule and ReplaceTopicRule, and
 * the rule a dry run ({@code TestTopicRule}, {@code pylon rules test}) is given.
 */
public final class TopicRulePayloadJson {

  private TopicRulePayloadJson() {}

  /** Throws InvalidRequestException naming the member that is missing or of the wrong type. */
  public static TopicRulePayload parse(JsonNode body) {
    List<JsonNode> actions =
        JsonMembers.objects(body, "actions").orElseThrow(() -> JsonMembers.missing("actions"));
    List<ObjectNode> actionObjects = new ArrayList<>(actions.size());
    actions.forEach(a -> actionObjects.add((ObjectNode) a));
    return new TopicRulePayload(
        JsonMembers.requiredString(body, "sql"),
        JsonMembers.string(body, "description"),
        actionObjects,
        JsonMembers.bool(body, "ruleDisabled").orElse(false),
        JsonMembers.string(body, "awsIotSqlVersion"),
        JsonMembers.object(body, "errorAction").map(ObjectNode.class::cast));
  }
}
