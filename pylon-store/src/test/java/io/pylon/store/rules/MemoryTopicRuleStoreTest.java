package io.pylon.store.rules;

import io.pylon.domain.rules.MemoryTopicRuleStore;
import io.pylon.domain.rules.TopicRuleStore;

/** The contract against the in-memory store that the domain's tests use. */
class MemoryTopicRuleStoreTest extends TopicRuleStoreContract {

  @Override
  protected TopicRuleStore open() {
    return new MemoryTopicRuleStore();
  }
}
