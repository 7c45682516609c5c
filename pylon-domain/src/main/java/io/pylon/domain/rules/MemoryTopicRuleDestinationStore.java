package io.pylon.domain.rules;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryPageToken;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Topic rule destinations in memory, for tests and for running without a database. Same contract
 * and paging tokens as the JDBC store; every method holds one lock.
 */
public final class MemoryTopicRuleDestinationStore implements TopicRuleDestinationStore {

  static final String PAGE_KIND = "ruledestination";

  private final TreeMap<String, TopicRuleDestination> destinations = new TreeMap<>();

  @Override
  public synchronized boolean create(TopicRuleDestination destination) {
    if (destinations.containsKey(destination.arn())
        || findByConfirmationUrl(destination.confirmationUrl()).isPresent()) {
      return false;
    }
    destinations.put(destination.arn(), destination);
    return true;
  }

  @Override
  public synchronized Optional<TopicRuleDestination> find(String arn) {
    return Optional.ofNullable(destinations.get(arn));
  }

  @Override
  public synchronized Optional<TopicRuleDestination> findByConfirmationUrl(String confirmationUrl) {
    return destinations.values().stream()
        .filter(d -> d.confirmationUrl().equals(confirmationUrl))
        .findFirst();
  }

  @Override
  public synchronized Optional<TopicRuleDestination> findByToken(String confirmationToken) {
    return destinations.values().stream()
        .filter(d -> d.confirmationToken().filter(confirmationToken::equals).isPresent())
        .findFirst();
  }

  @Override
  public synchronized boolean update(TopicRuleDestination expected, TopicRuleDestination next) {
    TopicRuleDestination current = destinations.get(expected.arn());
    if (current == null
        || current.status() != expected.status()
        || !Objects.equals(current.confirmationToken(), expected.confirmationToken())) {
      return false;
    }
    destinations.put(expected.arn(), next);
    return true;
  }

  @Override
  public synchronized boolean delete(String arn) {
    return destinations.remove(arn) != null;
  }

  @Override
  public synchronized Page<TopicRuleDestination> list(PageRequest page) {
    return RegistryPageToken.page(
        PAGE_KIND, List.copyOf(destinations.values()), TopicRuleDestination::arn, page);
  }

  @Override
  public synchronized List<TopicRuleDestination> all() {
    return List.copyOf(destinations.values());
  }
}
