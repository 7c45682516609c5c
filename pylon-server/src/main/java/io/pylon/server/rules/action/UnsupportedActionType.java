package io.pylon.server.rules.action;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.rules.action.ActionDefinition;
import io.pylon.domain.rules.action.ActionFailedException;
import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.action.RuleAction;
import io.pylon.domain.rules.action.RuleActionType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An action AWS IoT defines that this version of Pylon does not run (the data-store actions come
 * next). Rules using it are accepted, as AWS accepts them, so that existing rule definitions load;
 * every run fails to the rule's error action with a message that says so, never silently.
 */
public final class UnsupportedActionType implements RuleActionType {

  private final String key;
  private final String failedActionName;

  public UnsupportedActionType(String key) {
    this.key = key;
    this.failedActionName = Character.toUpperCase(key.charAt(0)) + key.substring(1) + "Action";
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public RuleAction prepare(ActionDefinition definition) {
    String message = "Pylon does not run " + key + " actions yet; the message was not delivered";
    return new RuleAction() {
      @Override
      public String failedActionName() {
        return failedActionName;
      }

      @Override
      public String resource(ActionInvocation invocation) {
        return key;
      }

      @Override
      public CompletionStage<Void> execute(ActionInvocation invocation) {
        return CompletableFuture.failedFuture(new ActionFailedException(message));
      }

      @Override
      public ObjectNode preview(ActionInvocation invocation) {
        return JsonNodeFactory.instance.objectNode().put("unsupported", message);
      }
    };
  }
}
