package io.pylon.server.rules;

import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.sql.IncomingMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rule's actions for one message. Actions run in parallel and independently; once all have
 * finished, the failures (if any) go to the rule's error action in a single message, as AWS sends
 * one error-action message per failing rule invocation. An error action that fails is counted and
 * logged, never sent to another error action.
 */
final class RuleRun {

  private static final Logger log = LoggerFactory.getLogger(RuleRun.class);

  private final ActiveRule rule;
  private final IncomingMessage incoming;
  private final ActionInvocation invocation;
  private final RuleMetrics metrics;
  private final AtomicInteger remaining;
  private final List<ErrorActionPayload.Failure> failures = new ArrayList<>(0);

  RuleRun(
      ActiveRule rule,
      IncomingMessage incoming,
      ActionInvocation invocation,
      RuleMetrics metrics,
      int actions) {
    this.rule = rule;
    this.incoming = incoming;
    this.invocation = invocation;
    this.metrics = metrics;
    this.remaining = new AtomicInteger(actions);
  }

  void start(ActionLane lane) {
    lane.submit(invocation)
        .whenComplete(
            (ignored, error) -> {
              String name = lane.action().failedActionName();
              if (error == null) {
                metrics.actionSucceeded(name);
              } else {
                metrics.actionFailed(name);
                String resource;
                try {
                  resource = lane.action().resource(invocation);
                } catch (RuntimeException e) {
                  resource = "";
                }
                synchronized (failures) {
                  failures.add(
                      new ErrorActionPayload.Failure(name, resource, RuleEngine.messageOf(error)));
                }
              }
              if (remaining.decrementAndGet() == 0) {
                finish();
              }
            });
  }

  /** The rule failed before any action ran (its SQL could not be evaluated). */
  void fail(ErrorActionPayload.Failure failure) {
    synchronized (failures) {
      failures.add(failure);
    }
    finish();
  }

  private void finish() {
    List<ErrorActionPayload.Failure> failed;
    synchronized (failures) {
      if (failures.isEmpty()) {
        return;
      }
      failed = List.copyOf(failures);
    }
    ActionLane errorAction = rule.errorAction();
    if (errorAction == null) {
      // Without an error action the log is the only trace; once per rule per interval is enough.
      if (rule.failureLog().shouldLog()) {
        log.warn(
            "rule {} failed on a message to {} from client {} (no error action): {}",
            rule.name(),
            incoming.topic(),
            incoming.clientId(),
            failed);
      }
      return;
    }
    byte[] payload =
        ErrorActionPayload.render(
            rule.name(),
            incoming.topic(),
            incoming.traceId(),
            incoming.clientId(),
            incoming.payload(),
            failed);
    ActionInvocation errorInvocation =
        new ActionInvocation(rule.name(), incoming, payload, rule.environment());
    errorAction
        .submit(errorInvocation)
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                metrics.errorActionFailed();
                log.warn(
                    "error action of rule {} failed for a message to {}: {}",
                    rule.name(),
                    incoming.topic(),
                    RuleEngine.messageOf(error));
              }
            });
  }
}
