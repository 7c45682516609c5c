package io.pylon.server.rules;

/**
 * Bounds of the rules engine.
 *
 * @param evaluationThreads threads evaluating SQL and starting actions
 * @param evaluationQueue messages waiting for evaluation; beyond it they are dropped for rules
 * @param maxInFlightPerAction runs of one action of one rule at once
 * @param maxQueuedPerAction runs of one action waiting; beyond it they fail to the error action
 */
public record RuleSettings(
    int evaluationThreads, int evaluationQueue, int maxInFlightPerAction, int maxQueuedPerAction) {

  public static RuleSettings defaults() {
    return new RuleSettings(
        Math.max(2, Runtime.getRuntime().availableProcessors()), 10_000, 64, 1_000);
  }

  public RuleSettings {
    if (evaluationThreads < 1
        || evaluationQueue < 1
        || maxInFlightPerAction < 1
        || maxQueuedPerAction < 0) {
      throw new IllegalArgumentException("rule engine bounds must be positive");
    }
  }
}
