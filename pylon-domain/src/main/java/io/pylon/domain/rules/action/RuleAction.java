package io.pylon.domain.rules.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletionStage;

/** One action of one rule, ready to run. Thread-safe: many messages run it at once. */
public interface RuleAction {

  /**
   * The action's name in error-action payloads ({@code failures[].failedAction}), as AWS spells it:
   * {@code RepublishAction}, {@code HttpAction}, {@code LambdaAction}...
   */
  String failedActionName();

  /**
   * The resource the action writes to, for {@code failures[].failedResource}: the topic, URL or
   * function, with templates rendered for this message.
   */
  String resource(ActionInvocation invocation);

  /**
   * Runs the action for one selected message. Never blocks the calling thread on I/O; the stage
   * completes normally when the action succeeded and exceptionally (with {@link
   * ActionFailedException}) when it failed for good, retries included.
   */
  CompletionStage<Void> execute(ActionInvocation invocation);

  /**
   * What {@link #execute} would do for this message, rendered but not sent: the dry run of a rule
   * shows it to its author. Keys are the action's own (topic, url, headers, body...).
   */
  ObjectNode preview(ActionInvocation invocation);
}
