package io.pylon.store.rules;

import io.pylon.domain.rules.MemoryTopicRuleDestinationStore;
import io.pylon.domain.rules.TopicRuleDestinationStore;

/** The contract against the in-memory store that the domain's tests use. */
class MemoryTopicRuleDestinationStoreTest extends TopicRuleDestinationStoreContract {

  @Override
  protected TopicRuleDestinationStore open() {
    return new MemoryTopicRuleDestinationStore();
  }
}
