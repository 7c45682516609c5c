package io.pylon.server.rules.action;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.rules.action.ActionDefinition;
import io.pylon.domain.rules.action.ActionFailedException;
import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.action.RuleAction;
import io.pylon.domain.rules.action.RuleActionType;
import io.pylon.server.rules.outbound.LambdaInvoker;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code lambda}: invokes a function asynchronously through the Lambda Invoke API at the configured
 * endpoint (AWS Lambda itself, or any Lambda-compatible runtime), as AWS IoT does. Without a
 * configured endpoint every run fails to the error action, saying so.
 */
public final class LambdaActionType implements RuleActionType {

  private final Optional<LambdaInvoker> invoker;

  public LambdaActionType(Optional<LambdaInvoker> invoker) {
    this.invoker = invoker;
  }

  @Override
  public String key() {
    return "lambda";
  }

  @Override
  public RuleAction prepare(ActionDefinition definition) {
    String function = new ActionConfig(key(), definition).requiredText("functionArn");
    return new RuleAction() {
      @Override
      public String failedActionName() {
        return "LambdaAction";
      }

      @Override
      public String resource(ActionInvocation invocation) {
        return function;
      }

      @Override
      public CompletionStage<Void> execute(ActionInvocation invocation) {
        if (invoker.isEmpty()) {
          return CompletableFuture.failedFuture(
              new ActionFailedException(
                  "no Lambda endpoint is configured (rules.lambda.endpoint); "
                      + function
                      + " was not invoked"));
        }
        return OutboundOutcome.of(invoker.get().invoke(function, invocation.payload()));
      }

      @Override
      public ObjectNode preview(ActionInvocation invocation) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("functionArn", function);
        out.put("invocationType", "Event");
        out.put("configured", invoker.isPresent());
        out.put("payload", new String(invocation.payload(), StandardCharsets.UTF_8));
        return out;
      }
    };
  }
}
