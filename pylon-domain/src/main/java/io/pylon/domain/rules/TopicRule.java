package io.pylon.domain.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored topic rule, as GetTopicRule describes it.
 *
 * <p>Actions are the JSON objects of the AWS {@code Action} shape (one member naming the action
 * type, e.g. {@code {"republish":{"topic":"t","roleArn":"..."}}}), validated when the rule was
 * saved. The record holds private copies and hands out copies, so a caller can never change a
 * stored rule through it.
 *
 * @param ruleName 1..128 of {@code [a-zA-Z0-9_]}
 * @param ruleArn {@code arn:aws:iot:<region>:<account>:rule/<name>}
 * @param sql the statement as the client sent it
 * @param description empty when the client sent none
 * @param topicPattern the topic filter of the statement's {@code FROM} clause, empty when none
 * @param createdAt when CreateTopicRule stored it (a replace keeps it)
 * @param actions 0..10 actions
 * @param errorAction the action run when another fails
 * @param ruleDisabled a disabled rule sees no messages
 * @param awsIotSqlVersion {@code 2015-10-08}, {@code 2016-03-23} or {@code beta}
 */
public record TopicRule(
    String ruleName,
    String ruleArn,
    String sql,
    Optional<String> description,
    Optional<String> topicPattern,
    Instant createdAt,
    List<ObjectNode> actions,
    Optional<ObjectNode> errorAction,
    boolean ruleDisabled,
    String awsIotSqlVersion) {

  public TopicRule {
    Objects.requireNonNull(ruleName, "ruleName");
    Objects.requireNonNull(ruleArn, "ruleArn");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(topicPattern, "topicPattern");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(awsIotSqlVersion, "awsIotSqlVersion");
    actions = actions.stream().map(ObjectNode::deepCopy).toList();
    errorAction = errorAction.map(ObjectNode::deepCopy);
  }

  /** Copies of the actions, in the order the client gave them. */
  @Override
  public List<ObjectNode> actions() {
    return actions.stream().map(ObjectNode::deepCopy).toList();
  }

  /** A copy of the error action. */
  @Override
  public Optional<ObjectNode> errorAction() {
    return errorAction.map(ObjectNode::deepCopy);
  }

  /** This rule with {@code ruleDisabled} set to {@code disabled}. */
  public TopicRule withDisabled(boolean disabled) {
    return new TopicRule(
        ruleName,
        ruleArn,
        sql,
        description,
        topicPattern,
        createdAt,
        actions,
        errorAction,
        disabled,
        awsIotSqlVersion);
  }
}
