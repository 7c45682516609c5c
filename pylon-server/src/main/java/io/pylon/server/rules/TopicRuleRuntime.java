package io.pylon.server.rules;

import io.pylon.domain.rules.TopicRule;
import io.pylon.domain.rules.TopicRuleListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running rules in step with the saved ones: loads every enabled rule at start and
 * recompiles a rule whenever it is created, replaced, enabled, disabled or deleted.
 */
public final class TopicRuleRuntime implements TopicRuleListener {

  private static final Logger log = LoggerFactory.getLogger(TopicRuleRuntime.class);

  private final RuleEngine engine;
  private final RuleCompiler compiler;

  public TopicRuleRuntime(RuleEngine engine, RuleCompiler compiler) {
    this.engine = engine;
    this.compiler = compiler;
  }

  /** Starts every enabled rule of {@code rules}; returns how many run. */
  public int load(List<TopicRule> rules) {
    int running = 0;
    for (TopicRule rule : rules) {
      onRuleSaved(rule);
      if (engine.isRunning(rule.ruleName())) {
        running++;
      }
    }
    return running;
  }

  @Override
  public void onRuleSaved(TopicRule rule) {
    if (rule.ruleDisabled()) {
      engine.remove(rule.ruleName());
      return;
    }
    ActiveRule active;
    try {
      active = compile(rule);
    } catch (RuntimeException e) {
      // Saved rules were validated with the same compiler; this is a rule saved by an older
      // version that this one no longer accepts. It stays saved but does not run.
      engine.remove(rule.ruleName());
      log.error("rule {} does not compile and is not running: {}", rule.ruleName(), e.getMessage());
      return;
    }
    engine.put(active);
  }

  @Override
  public void onRuleDeleted(String ruleName) {
    engine.remove(ruleName);
  }

  /** Compiles a saved rule without running it (dry runs). */
  public ActiveRule compile(TopicRule rule) {
    return compiler.compile(
        rule.ruleName(),
        rule.sql(),
        rule.awsIotSqlVersion(),
        rule.actions(),
        rule.errorAction().orElse(null));
  }
}
