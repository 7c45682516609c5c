package io.pylon.domain.rules;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP topic rule destination: the confirmation URL that prefixes the URLs of the HTTP actions
 * it admits, and where its confirmation handshake stands.
 *
 * @param arn {@code arn:aws:iot:<region>:<account>:ruledestination/http/<uuid>}
 * @param status where the destination stands
 * @param statusReason why, in words; empty when there is nothing to say
 * @param createdAt when it was created
 * @param lastUpdatedAt when its status last changed
 * @param confirmationUrl the URL the confirmation request went to, and the prefix of the action
 *     URLs it admits
 * @param confirmationToken the token that ConfirmTopicRuleDestination accepts, present while a
 *     confirmation is outstanding
 * @param tokenIssuedAt when that token was sent (tokens expire after three days)
 */
public record TopicRuleDestination(
    String arn,
    TopicRuleDestinationStatus status,
    String statusReason,
    Instant createdAt,
    Instant lastUpdatedAt,
    String confirmationUrl,
    Optional<String> confirmationToken,
    Optional<Instant> tokenIssuedAt) {

  public TopicRuleDestination {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(statusReason, "statusReason");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastUpdatedAt, "lastUpdatedAt");
    Objects.requireNonNull(confirmationUrl, "confirmationUrl");
    Objects.requireNonNull(confirmationToken, "confirmationToken");
    Objects.requireNonNull(tokenIssuedAt, "tokenIssuedAt");
  }

  /** Whether an action URL falls under this destination: it starts with the confirmation URL. */
  public boolean covers(String url) {
    return url.startsWith(confirmationUrl);
  }

  /** This destination in {@code next} state, its token replaced by {@code token}. */
  public TopicRuleDestination withStatus(
      TopicRuleDestinationStatus next,
      String reason,
      Instant now,
      Optional<String> token,
      Optional<Instant> issuedAt) {
    return new TopicRuleDestination(
        arn, next, reason, createdAt, now, confirmationUrl, token, issuedAt);
  }
}
