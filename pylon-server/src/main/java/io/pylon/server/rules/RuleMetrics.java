package io.pylon.server.rules;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The rules engine's counters, under {@code pylon.rules.*}. */
public final class RuleMetrics {

  private final MeterRegistry registry;
  private final Counter messagesEvaluated;
  private final Counter messagesDroppedQueueFull;
  private final Counter basicIngestUnknownRule;
  private final Counter rulesMatched;
  private final Counter evaluationErrors;
  private final Counter errorActionsFailed;
  private final Map<String, Counter> actionsSucceeded = new ConcurrentHashMap<>();
  private final Map<String, Counter> actionsFailed = new ConcurrentHashMap<>();
  private final Map<String, Counter> actionsDropped = new ConcurrentHashMap<>();

  public RuleMetrics(MeterRegistry registry) {
    this.registry = registry;
    messagesEvaluated =
        Counter.builder("pylon.rules.messages")
            .description("Messages offered to at least one rule")
            .register(registry);
    messagesDroppedQueueFull =
        Counter.builder("pylon.rules.messages.dropped")
            .description("Messages no rule saw because the evaluation queue was full")
            .tag("reason", "queue_full")
            .register(registry);
    basicIngestUnknownRule =
        Counter.builder("pylon.rules.messages.dropped")
            .description("Basic Ingest messages to a rule that does not exist or is disabled")
            .tag("reason", "no_such_rule")
            .register(registry);
    rulesMatched =
        Counter.builder("pylon.rules.matched")
            .description("Rule evaluations whose WHERE clause selected the message")
            .register(registry);
    evaluationErrors =
        Counter.builder("pylon.rules.errors")
            .description("Rule evaluations that failed (SQL functions that could not run)")
            .register(registry);
    errorActionsFailed =
        Counter.builder("pylon.rules.error_actions.failed")
            .description("Error actions that failed themselves")
            .register(registry);
  }

  void messageEvaluated() {
    messagesEvaluated.increment();
  }

  void messageDropped() {
    messagesDroppedQueueFull.increment();
  }

  void basicIngestToUnknownRule() {
    basicIngestUnknownRule.increment();
  }

  void ruleMatched() {
    rulesMatched.increment();
  }

  void evaluationFailed() {
    evaluationErrors.increment();
  }

  void errorActionFailed() {
    errorActionsFailed.increment();
  }

  void actionSucceeded(String action) {
    counter(actionsSucceeded, "pylon.rules.actions", action, "succeeded").increment();
  }

  void actionFailed(String action) {
    counter(actionsFailed, "pylon.rules.actions", action, "failed").increment();
  }

  void actionDropped(String action) {
    counter(actionsDropped, "pylon.rules.actions", action, "dropped").increment();
  }

  private Counter counter(Map<String, Counter> cache, String name, String action, String outcome) {
    return cache.computeIfAbsent(
        action,
        a ->
            Counter.builder(name)
                .description("Rule action runs by action and outcome")
                .tag("action", a)
                .tag("outcome", outcome)
                .register(registry));
  }
}
