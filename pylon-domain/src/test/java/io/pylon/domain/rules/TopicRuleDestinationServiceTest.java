package io.pylon.domain.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.UnauthorizedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicRuleDestinationServiceTest {

  private static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "eu-west-1");
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

  private record Sent(TopicRuleDestination destination, String token, String enableUrl) {}

  private final TestRules.MovableClock clock = new TestRules.MovableClock(T0);
  private final List<Sent> sent = new ArrayList<>();
  private final TopicRuleDestinationService destinations =
      new TopicRuleDestinationService(
          ACCOUNT,
          new MemoryTopicRuleDestinationStore(),
          (d, token, enableUrl) -> sent.add(new Sent(d, token, enableUrl)),
          () -> "https://pylon.local:8443/",
          clock);

  @Test
  void create_isInProgress_andSendsTheConfirmation() {
    TopicRuleDestination d = destinations.createTopicRuleDestination("https://example.com/hooks");

    assertThat(d.arn())
        .matches("arn:aws:iot:eu-west-1:123456789012:ruledestination/http/[0-9a-f-]{36}");
    assertThat(d.status()).isEqualTo(TopicRuleDestinationStatus.IN_PROGRESS);
    assertThat(d.statusReason()).startsWith("Awaiting confirmation");
    assertThat(d.createdAt()).isEqualTo(T0);
    assertThat(sent).hasSize(1);
    Sent s = sent.get(0);
    assertThat(s.destination().arn()).isEqualTo(d.arn());
    assertThat(s.token()).isNotBlank().isEqualTo(d.confirmationToken().orElseThrow());
    assertThat(s.enableUrl()).isEqualTo("https://pylon.local:8443/confirmdestination/" + s.token());
    assertThat(destinations.getTopicRuleDestination(d.arn())).isEqualTo(d);
  }

  @Test
  void create_sameUrlTwice_isResourceAlreadyExists() {
    destinations.createTopicRuleDestination("https://example.com");

    assertThatThrownBy(() -> destinations.createTopicRuleDestination("https://example.com"))
        .isInstanceOf(ResourceAlreadyExistsException.class);
  }

  @Test
  void create_badUrl_isInvalidRequest() {
    for (String url :
        List.of("", "ftp://example.com", "http://example.com", "https://${x}.com", "https://")) {
      assertThatThrownBy(() -> destinations.createTopicRuleDestination(url))
          .as(url)
          .isInstanceOf(InvalidRequestException.class);
    }
    assertThat(sent).isEmpty();
  }

  @Test
  void confirm_leavesItDisabled_thenUpdateEnables_andEnabledDestinationsAdmitUrls() {
    TopicRuleDestination d = destinations.createTopicRuleDestination("http://127.0.0.1:9000/in");
    assertThat(destinations.enabledDestinationFor("http://127.0.0.1:9000/in/a")).isEmpty();

    destinations.confirmTopicRuleDestination(sent.get(0).token());
    assertThat(destinations.getTopicRuleDestination(d.arn()).status())
        .isEqualTo(TopicRuleDestinationStatus.DISABLED);
    assertThat(destinations.enabledDestinationFor("http://127.0.0.1:9000/in/a")).isEmpty();

    destinations.updateTopicRuleDestination(d.arn(), TopicRuleDestinationStatus.ENABLED);

    assertThat(destinations.getTopicRuleDestination(d.arn()).status())
        .isEqualTo(TopicRuleDestinationStatus.ENABLED);
    assertThat(destinations.enabledDestinationFor("http://127.0.0.1:9000/in/a"))
        .map(TopicRuleDestination::arn)
        .contains(d.arn());
    assertThat(destinations.enabledDestinationFor("http://127.0.0.1:9000/other")).isEmpty();

    destinations.updateTopicRuleDestination(d.arn(), TopicRuleDestinationStatus.DISABLED);
    assertThat(destinations.enabledDestinationFor("http://127.0.0.1:9000/in/a")).isEmpty();
  }

  @Test
  void enabledDestinationFor_prefersTheLongestConfirmationUrl() {
    TopicRuleDestination shortOne = enabled("https://example.com");
    TopicRuleDestination longOne = enabled("https://example.com/deep");

    assertThat(destinations.enabledDestinationFor("https://example.com/deep/x")).contains(longOne);
    assertThat(destinations.enabledDestinationFor("https://example.com/other")).contains(shortOne);
  }

  @Test
  void confirm_tokenIsGoodOnce() {
    destinations.createTopicRuleDestination("https://example.com");
    String token = sent.get(0).token();
    destinations.confirmTopicRuleDestination(token);

    assertThatThrownBy(() -> destinations.confirmTopicRuleDestination(token))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> destinations.confirmTopicRuleDestination("made-up"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void token_expiresAfterThreeDays_destinationReadsError_andResendRecovers() {
    TopicRuleDestination d = destinations.createTopicRuleDestination("https://example.com");
    clock.advance(Duration.ofDays(3));

    assertThat(destinations.getTopicRuleDestination(d.arn()).status())
        .isEqualTo(TopicRuleDestinationStatus.ERROR);
    assertThatThrownBy(() -> destinations.confirmTopicRuleDestination(sent.get(0).token()))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(destinations.getTopicRuleDestination(d.arn()).status())
        .isEqualTo(TopicRuleDestinationStatus.ERROR);

    destinations.updateTopicRuleDestination(d.arn(), TopicRuleDestinationStatus.IN_PROGRESS);

    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).token()).isNotEqualTo(sent.get(0).token());
    destinations.confirmTopicRuleDestination(sent.get(1).token());
    assertThat(destinations.getTopicRuleDestination(d.arn()).status())
        .isEqualTo(TopicRuleDestinationStatus.DISABLED);
  }

  @Test
  void update_refusesTransitionsAwsRefuses() {
    TopicRuleDestination d = destinations.createTopicRuleDestination("https://example.com");

    assertThatThrownBy(
            () ->
                destinations.updateTopicRuleDestination(
                    d.arn(), TopicRuleDestinationStatus.ENABLED))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                destinations.updateTopicRuleDestination(
                    d.arn(), TopicRuleDestinationStatus.DISABLED))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                destinations.updateTopicRuleDestination(d.arn(), TopicRuleDestinationStatus.ERROR))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                destinations.updateTopicRuleDestination(
                    d.arn(), TopicRuleDestinationStatus.DELETING))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(destinations.getTopicRuleDestination(d.arn()).status())
        .isEqualTo(TopicRuleDestinationStatus.IN_PROGRESS);
  }

  @Test
  void update_inProgressWhileEnabled_resendsAndStopsAdmitting() {
    TopicRuleDestination d = enabled("https://example.com");

    destinations.updateTopicRuleDestination(d.arn(), TopicRuleDestinationStatus.IN_PROGRESS);

    assertThat(destinations.getTopicRuleDestination(d.arn()).status())
        .isEqualTo(TopicRuleDestinationStatus.IN_PROGRESS);
    assertThat(destinations.enabledDestinationFor("https://example.com/x")).isEmpty();
    assertThat(sent).hasSize(2);
  }

  @Test
  void unknownArn_isUnauthorized() {
    String arn = "arn:aws:iot:eu-west-1:123456789012:ruledestination/http/nope";
    assertThatThrownBy(() -> destinations.getTopicRuleDestination(arn))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> destinations.deleteTopicRuleDestination(arn))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(
            () -> destinations.updateTopicRuleDestination(arn, TopicRuleDestinationStatus.ENABLED))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void delete_removesIt_andItNoLongerAdmits() {
    TopicRuleDestination d = enabled("https://example.com");

    destinations.deleteTopicRuleDestination(d.arn());

    assertThat(destinations.listTopicRuleDestinations(PageRequest.firstDefault()).items())
        .isEmpty();
    assertThat(destinations.enabledDestinationFor("https://example.com/x")).isEmpty();
  }

  private TopicRuleDestination enabled(String url) {
    TopicRuleDestination d = destinations.createTopicRuleDestination(url);
    destinations.confirmTopicRuleDestination(d.confirmationToken().orElseThrow());
    destinations.updateTopicRuleDestination(d.arn(), TopicRuleDestinationStatus.ENABLED);
    return destinations.getTopicRuleDestination(d.arn());
  }
}
