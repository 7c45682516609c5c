package io.pylon.server.rules;

import io.pylon.domain.rules.action.ActionFailedException;
import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.action.RuleAction;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Bounds one action of one rule: at most {@code maxInFlight} runs at once and {@code maxQueued}
 * waiting. A slow destination fills its own lane and has its excess refused (and reported to the
 * error action) instead of holding memory or starving the other actions.
 */
final class ActionLane {

  private final RuleAction action;
  private final int maxInFlight;
  private final int maxQueued;
  private final RuleMetrics metrics;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  private record Pending(ActionInvocation invocation, CompletableFuture<Void> result) {}

  ActionLane(RuleAction action, int maxInFlight, int maxQueued, RuleMetrics metrics) {
    this.action = action;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
    this.metrics = metrics;
  }

  RuleAction action() {
    return action;
  }

  /** Runs the action now, queues it, or refuses it when the lane is full. */
  CompletionStage<Void> submit(ActionInvocation invocation) {
    synchronized (queue) {
      if (inFlight >= maxInFlight) {
        if (queue.size() >= maxQueued) {
          metrics.actionDropped(action.failedActionName());
          return CompletableFuture.failedFuture(
              new ActionFailedException(
                  "action queue full: "
                      + (maxInFlight + maxQueued)
                      + " messages already waiting for "
                      + action.resource(invocation)));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        queue.add(new Pending(invocation, result));
        return result;
      }
      inFlight++;
    }
    return start(invocation);
  }

  private CompletionStage<Void> start(ActionInvocation invocation) {
    CompletionStage<Void> stage;
    try {
      stage = action.execute(invocation);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.whenComplete((ignored, error) -> startNext());
  }

  private void startNext() {
    Pending next;
    synchronized (queue) {
      next = queue.poll();
      if (next == null) {
        inFlight--;
        return;
      }
    }
    start(next.invocation())
        .whenComplete(
            (ignored, error) -> {
              if (error == null) {
                next.result().complete(null);
              } else {
                next.result().completeExceptionally(error);
              }
            });
  }

  /** Runs and waiting, for metrics and tests. */
  int depth() {
    synchronized (queue) {
      return inFlight + queue.size();
    }
  }
}
