package io.pylon.store.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.rules.TopicRuleDestination;
import io.pylon.domain.rules.TopicRuleDestinationStatus;
import io.pylon.domain.rules.TopicRuleDestinationStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TopicRuleDestinationStore} must do; subclasses supply the store. */
abstract class TopicRuleDestinationStoreContract {

  private static final String ARN = "arn:aws:iot:us-east-1:123456789012:ruledestination/http/";
  private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.089Z");
  private static final Instant T1 = T0.plusSeconds(60);

  private TopicRuleDestinationStore destinations;

  protected abstract TopicRuleDestinationStore open();

  @BeforeEach
  void openStore() {
    destinations = open();
  }

  @Test
  void create_thenFindByArnUrlAndToken() {
    TopicRuleDestination d = pending("a", "https://example.com/a", "tok-a");

    assertThat(destinations.create(d)).isTrue();

    assertThat(destinations.find(d.arn())).contains(d);
    assertThat(destinations.findByConfirmationUrl("https://example.com/a")).contains(d);
    assertThat(destinations.findByToken("tok-a")).contains(d);
    assertThat(destinations.findByToken("tok-b")).isEmpty();
    assertThat(destinations.find(ARN + "b")).isEmpty();
  }

  @Test
  void create_takenArnOrUrl_isRefused() {
    destinations.create(pending("a", "https://example.com/a", "tok-a"));

    assertThat(destinations.create(pending("a", "https://example.com/other", "tok-x"))).isFalse();
    assertThat(destinations.create(pending("b", "https://example.com/a", "tok-y"))).isFalse();
    assertThat(destinations.all()).hasSize(1);
  }

  @Test
  void update_conditionalOnStatusAndToken() {
    TopicRuleDestination d = pending("a", "https://example.com/a", "tok-a");
    destinations.create(d);
    TopicRuleDestination confirmed =
        d.withStatus(
            TopicRuleDestinationStatus.DISABLED, "", T1, Optional.empty(), Optional.empty());

    assertThat(destinations.update(d, confirmed)).isTrue();
    assertThat(destinations.find(d.arn())).contains(confirmed);
    assertThat(destinations.findByToken("tok-a")).isEmpty();
    assertThat(destinations.update(d, confirmed)).as("stale status and token").isFalse();

    TopicRuleDestination enabled =
        confirmed.withStatus(
            TopicRuleDestinationStatus.ENABLED, "", T1, Optional.empty(), Optional.empty());
    assertThat(destinations.update(confirmed, enabled)).as("null token matches null").isTrue();
    assertThat(destinations.find(d.arn()).map(TopicRuleDestination::status))
        .contains(TopicRuleDestinationStatus.ENABLED);

    TopicRuleDestination resent =
        enabled.withStatus(
            TopicRuleDestinationStatus.IN_PROGRESS,
            "again",
            T1,
            Optional.of("tok-2"),
            Optional.of(T1));
    assertThat(destinations.update(enabled, resent)).isTrue();
    assertThat(destinations.findByToken("tok-2")).contains(resent);
  }

  @Test
  void update_goneDestination_isFalse() {
    TopicRuleDestination d = pending("a", "https://example.com/a", "tok-a");

    assertThat(
            destinations.update(
                d,
                d.withStatus(
                    TopicRuleDestinationStatus.DISABLED,
                    "",
                    T1,
                    Optional.empty(),
                    Optional.empty())))
        .isFalse();
  }

  @Test
  void delete_removesOnce() {
    TopicRuleDestination d = pending("a", "https://example.com/a", "tok-a");
    destinations.create(d);

    assertThat(destinations.delete(d.arn())).isTrue();
    assertThat(destinations.delete(d.arn())).isFalse();
    assertThat(destinations.find(d.arn())).isEmpty();
  }

  @Test
  void list_inArnOrder_andPaged() {
    for (String id : List.of("c", "a", "b")) {
      destinations.create(pending(id, "https://example.com/" + id, "tok-" + id));
    }

    Page<TopicRuleDestination> first = destinations.list(PageRequest.first(2));
    Page<TopicRuleDestination> second = destinations.list(new PageRequest(2, first.nextToken()));

    assertThat(first.items())
        .extracting(TopicRuleDestination::arn)
        .containsExactly(ARN + "a", ARN + "b");
    assertThat(second.items()).extracting(TopicRuleDestination::arn).containsExactly(ARN + "c");
    assertThat(second.nextToken()).isEmpty();
    assertThat(destinations.all())
        .extracting(TopicRuleDestination::arn)
        .containsExactly(ARN + "a", ARN + "b", ARN + "c");
  }

  private static TopicRuleDestination pending(String id, String url, String token) {
    return new TopicRuleDestination(
        ARN + id,
        TopicRuleDestinationStatus.IN_PROGRESS,
        "Awaiting confirmation",
        T0,
        T0,
        url,
        Optional.of(token),
        Optional.of(T0));
  }
}
