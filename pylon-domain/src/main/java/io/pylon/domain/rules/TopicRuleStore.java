package io.pylon.domain.rules;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.List;
import java.util.Optional;

/**
 * Durable topic rules, by name. The rules of what may be stored are {@link TopicRuleService}'s.
 *
 * <p>Paging tokens are the store's own: it makes them and rejects (InvalidRequestException) one it
 * did not make.
 */
public interface TopicRuleStore {

  /** Stores a new rule; false when the name is taken. */
  boolean create(TopicRule rule);

  Optional<TopicRule> find(String ruleName);

  /** Replaces the stored rule of that name with {@code rule}; false when there is none. */
  boolean replace(TopicRule rule);

  /** Sets the rule's {@code ruleDisabled}; the rule as now stored, empty when there is none. */
  Optional<TopicRule> setDisabled(String ruleName, boolean disabled);

  /** Deletes the rule; false when there was none. */
  boolean delete(String ruleName);

  /**
   * Rules in name order, only those whose topic pattern is {@code topicPattern} and whose disabled
   * flag is {@code disabled} when these are given.
   */
  Page<TopicRule> list(PageRequest page, Optional<String> topicPattern, Optional<Boolean> disabled);

  /** Every rule, in name order (for the runtime's start-up). */
  List<TopicRule> all();
}
