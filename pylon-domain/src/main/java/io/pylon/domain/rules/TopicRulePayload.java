package io.pylon.domain.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The AWS {@code TopicRulePayload}: what CreateTopicRule and ReplaceTopicRule take. Nothing is
 * checked here; {@link TopicRuleService} does that.
 *
 * @param sql the SQL statement (required)
 * @param description free text
 * @param actions the action objects, each naming one action type
 * @param ruleDisabled false when absent
 * @param awsIotSqlVersion {@code 2015-10-08} when absent, as in AWS
 * @param errorAction one action object
 */
public record TopicRulePayload(
    String sql,
    Optional<String> description,
    List<ObjectNode> actions,
    boolean ruleDisabled,
    Optional<String> awsIotSqlVersion,
    Optional<ObjectNode> errorAction) {

  public TopicRulePayload {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(awsIotSqlVersion, "awsIotSqlVersion");
    actions = actions.stream().map(ObjectNode::deepCopy).toList();
    errorAction = errorAction.map(ObjectNode::deepCopy);
  }
}
