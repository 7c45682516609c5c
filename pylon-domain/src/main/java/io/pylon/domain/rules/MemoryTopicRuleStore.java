package io.pylon.domain.rules;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryPageToken;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Topic rules in memory, for tests and for running without a database. Same contract and paging
 * tokens as the JDBC store; every method holds one lock.
 */
public final class MemoryTopicRuleStore implements TopicRuleStore {

  static final String PAGE_KIND = "topicrule";

  private final TreeMap<String, TopicRule> rules = new TreeMap<>();

  @Override
  public synchronized boolean create(TopicRule rule) {
    return rules.putIfAbsent(rule.ruleName(), rule) == null;
  }

  @Override
  public synchronized Optional<TopicRule> find(String ruleName) {
    return Optional.ofNullable(rules.get(ruleName));
  }

  @Override
  public synchronized boolean replace(TopicRule rule) {
    return rules.replace(rule.ruleName(), rule) != null;
  }

  @Override
  public synchronized Optional<TopicRule> setDisabled(String ruleName, boolean disabled) {
    return Optional.ofNullable(
        rules.computeIfPresent(ruleName, (name, rule) -> rule.withDisabled(disabled)));
  }

  @Override
  public synchronized boolean delete(String ruleName) {
    return rules.remove(ruleName) != null;
  }

  @Override
  public synchronized Page<TopicRule> list(
      PageRequest page, Optional<String> topicPattern, Optional<Boolean> disabled) {
    List<TopicRule> matching =
        rules.values().stream()
            .filter(r -> topicPattern.isEmpty() || r.topicPattern().equals(topicPattern))
            .filter(r -> disabled.isEmpty() || r.ruleDisabled() == disabled.get())
            .toList();
    return RegistryPageToken.page(PAGE_KIND, matching, TopicRule::ruleName, page);
  }

  @Override
  public synchronized List<TopicRule> all() {
    return List.copyOf(rules.values());
  }
}
