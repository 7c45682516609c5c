package io.pylon.domain.rules;

/**
 * Told after every committed change to a topic rule, so that the rules runtime keeps its index of
 * rules current without reading storage on the message path. Called on the caller's thread, in the
 * order of the changes; implementations must be quick and must not throw (a failure is logged and
 * does not undo the change).
 */
public interface TopicRuleListener {

  /** The rule was created, replaced, enabled or disabled; {@code rule} is its new state. */
  void onRuleSaved(TopicRule rule);

  /** The rule was deleted. */
  void onRuleDeleted(String ruleName);
}
