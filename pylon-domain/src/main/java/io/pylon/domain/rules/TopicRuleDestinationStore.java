package io.pylon.domain.rules;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.List;
import java.util.Optional;

/**
 * Durable topic rule destinations. ARNs, confirmation URLs and confirmation tokens are each unique.
 * Paging tokens are the store's own, as in {@link TopicRuleStore}.
 */
public interface TopicRuleDestinationStore {

  /** Stores a new destination; false when its ARN or confirmation URL is taken. */
  boolean create(TopicRuleDestination destination);

  Optional<TopicRuleDestination> find(String arn);

  Optional<TopicRuleDestination> findByConfirmationUrl(String confirmationUrl);

  Optional<TopicRuleDestination> findByToken(String confirmationToken);

  /**
   * Stores {@code next} if the destination still has the status and token of {@code expected}.
   *
   * @return false when it is gone or changed since {@code expected} was read
   */
  boolean update(TopicRuleDestination expected, TopicRuleDestination next);

  /** Deletes the destination; false when there was none. */
  boolean delete(String arn);

  /** Destinations in ARN order. */
  Page<TopicRuleDestination> list(PageRequest page);

  /** Every destination, in ARN order. */
  List<TopicRuleDestination> all();
}
