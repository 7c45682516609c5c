package io.pylon.domain.rules;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.ConflictingResourceUpdateException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.UnauthorizedException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * HTTP topic rule destinations: CreateTopicRuleDestination, GetTopicRuleDestination,
 * ListTopicRuleDestinations, UpdateTopicRuleDestination, DeleteTopicRuleDestination and
 * ConfirmTopicRuleDestination, and the question the rules runtime asks before every HTTP action:
 * {@link #enabledDestinationFor(String)}.
 *
 * <p>Design notes (AWS IoT developer guide, "Working with topic rule destinations").
 *
 * <ul>
 *   <li><b>Handshake.</b> A new destination is {@code IN_PROGRESS}; a confirmation request with a
 *       fresh token goes to its confirmation URL ({@link DestinationConfirmations}). Confirming
 *       with that token (ConfirmTopicRuleDestination, or a GET of the {@code enableUrl}) leaves it
 *       {@code DISABLED}, as the guide says; UpdateTopicRuleDestination then sets {@code ENABLED}.
 *       A token is good once and for {@link #TOKEN_VALIDITY}; after that the destination reads as
 *       {@code ERROR}.
 *   <li><b>Transitions</b> by UpdateTopicRuleDestination: {@code ENABLED} only from {@code
 *       DISABLED} and {@code DISABLED} only from {@code ENABLED} (asking for the current one
 *       changes nothing); {@code IN_PROGRESS} from any state issues a new token and sends a new
 *       confirmation request. {@code ERROR} and {@code DELETING} cannot be asked for.
 *   <li><b>Unknown ARNs</b> answer UnauthorizedException, as AWS does (its model lists no
 *       ResourceNotFound for these operations).
 *   <li><b>Threads.</b> Changes are serialised by this service (they are rare); {@link
 *       #enabledDestinationFor} reads a snapshot of the enabled destinations that every change here
 *       drops, so the message path does not read storage.
 * </ul>
 */
public final class TopicRuleDestinationService {

  /** How long a confirmation token is good for (three days in AWS). */
  public static final Duration TOKEN_VALIDITY = Duration.ofDays(3);

  private static final int MAX_TOKEN_LENGTH = 2048;

  private final AwsAccount account;
  private final TopicRuleDestinationStore store;
  private final DestinationConfirmations confirmations;
  private final Supplier<String> restBaseUrl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Object changes = new Object();
  // Enabled destinations, longest confirmation URL first; null until read after a change.
  private volatile List<TopicRuleDestination> enabled;

  /**
   * @param restBaseUrl this server's REST base URL as clients reach it, e.g. {@code
   *     https://127.0.0.1:8443}; asked for each confirmation request (it may only be known once the
   *     listener is bound)
   */
  public TopicRuleDestinationService(
      AwsAccount account,
      TopicRuleDestinationStore store,
      DestinationConfirmations confirmations,
      Supplier<String> restBaseUrl,
      Clock clock) {
    this.account = Objects.requireNonNull(account, "account");
    this.store = Objects.requireNonNull(store, "store");
    this.confirmations = Objects.requireNonNull(confirmations, "confirmations");
    this.restBaseUrl = Objects.requireNonNull(restBaseUrl, "restBaseUrl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** CreateTopicRuleDestination with an {@code httpUrlConfiguration}. */
  public TopicRuleDestination createTopicRuleDestination(String confirmationUrl) {
    checkConfirmationUrl(confirmationUrl, "httpUrlConfiguration.confirmationUrl");
    synchronized (changes) {
      Optional<TopicRuleDestination> existing = store.findByConfirmationUrl(confirmationUrl);
      if (existing.isPresent()) {
        throw alreadyExists(existing.get());
      }
      TopicRuleDestination created = newDestination(confirmationUrl);
      if (!store.create(created)) {
        // Another node created one for this URL in between.
        throw store
            .findByConfirmationUrl(confirmationUrl)
            .<RuntimeException>map(TopicRuleDestinationService::alreadyExists)
            .orElseGet(() -> changedMeanwhile(created.arn()));
      }
      sendConfirmation(created);
      return created;
    }
  }

  /** GetTopicRuleDestination. */
  public TopicRuleDestination getTopicRuleDestination(String arn) {
    return store.find(arn).map(this::current).orElseThrow(() -> denied(arn));
  }

  /** ListTopicRuleDestinations, in ARN order. */
  public Page<TopicRuleDestination> listTopicRuleDestinations(PageRequest page) {
    Page<TopicRuleDestination> stored = store.list(page);
    return new Page<>(stored.items().stream().map(this::current).toList(), stored.nextToken());
  }

  /** UpdateTopicRuleDestination: enable, disable, or send a new confirmation request. */
  public void updateTopicRuleDestination(String arn, TopicRuleDestinationStatus status) {
    Objects.requireNonNull(status, "status");
    synchronized (changes) {
      TopicRuleDestination stored = store.find(arn).orElseThrow(() -> denied(arn));
      TopicRuleDestination current = current(stored);
      Instant now = now();
      TopicRuleDestination next;
      switch (status) {
        case ENABLED, DISABLED -> {
          if (current.status() == status) {
            return;
          }
          TopicRuleDestinationStatus from =
              status == TopicRuleDestinationStatus.ENABLED
                  ? TopicRuleDestinationStatus.DISABLED
                  : TopicRuleDestinationStatus.ENABLED;
          if (current.status() != from) {
            throw new InvalidRequestException(
                "Only a "
                    + from
                    + " destination can be set to "
                    + status
                    + "; "
                    + arn
                    + " is "
                    + current.status()
                    + (current.status() == TopicRuleDestinationStatus.IN_PROGRESS
                        ? " (confirm it first with ConfirmTopicRuleDestination)"
                        : ""));
          }
          next = stored.withStatus(status, "", now, Optional.empty(), Optional.empty());
        }
        case IN_PROGRESS -> next = awaitingConfirmation(stored, now);
        default ->
            throw new InvalidRequestException(
                "status can be set to ENABLED, DISABLED or IN_PROGRESS, not " + status);
      }
      if (!store.update(stored, next)) {
        throw changedMeanwhile(arn);
      }
      enabled = null;
      if (next.status() == TopicRuleDestinationStatus.IN_PROGRESS) {
        sendConfirmation(next);
      }
    }
  }

  /** DeleteTopicRuleDestination. */
  public void deleteTopicRuleDestination(String arn) {
    synchronized (changes) {
      if (!store.delete(arn)) {
        throw denied(arn);
      }
      enabled = null;
    }
  }

  /**
   * ConfirmTopicRuleDestination (also what a GET of the {@code enableUrl} does): the destination
   * whose outstanding token this is becomes {@code DISABLED}, ready to be enabled.
   */
  public void confirmTopicRuleDestination(String confirmationToken) {
    if (confirmationToken == null
        || confirmationToken.isEmpty()
        || confirmationToken.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidRequestException(
          "confirmationToken must be 1 to " + MAX_TOKEN_LENGTH + " characters long");
    }
    synchronized (changes) {
      TopicRuleDestination stored =
          store
              .findByToken(confirmationToken)
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "The confirmation token is not valid: it is unknown, was used already,"
                              + " or a newer one was sent"));
      Instant now = now();
      if (expired(stored, now)) {
        TopicRuleDestination failed =
            stored.withStatus(
                TopicRuleDestinationStatus.ERROR,
                timedOutReason(stored),
                now,
                Optional.empty(),
                Optional.empty());
        if (store.update(stored, failed)) {
          enabled = null;
        }
        throw new InvalidRequestException(
            "The confirmation token has expired; ask for a new one by setting the destination's"
                + " status to IN_PROGRESS (UpdateTopicRuleDestination)");
      }
      TopicRuleDestination confirmed =
          stored.withStatus(
              TopicRuleDestinationStatus.DISABLED, "", now, Optional.empty(), Optional.empty());
      if (!store.update(stored, confirmed)) {
        throw changedMeanwhile(stored.arn());
      }
      enabled = null;
    }
  }

  /**
   * The ENABLED destination that admits an HTTP action's (substituted) URL: the one with the
   * longest confirmation URL that the URL starts with. For the rules runtime, on every HTTP action;
   * answers from memory.
   */
  public Optional<TopicRuleDestination> enabledDestinationFor(String url) {
    List<TopicRuleDestination> snapshot = enabled;
    if (snapshot == null) {
      synchronized (changes) {
        snapshot = enabled;
        if (snapshot == null) {
          snapshot =
              store.all().stream()
                  .filter(d -> d.status() == TopicRuleDestinationStatus.ENABLED)
                  .sorted(
                      Comparator.comparingInt(
                              (TopicRuleDestination d) -> d.confirmationUrl().length())
                          .reversed())
                  .toList();
          enabled = snapshot;
        }
      }
    }
    for (TopicRuleDestination d : snapshot) {
      if (d.covers(url)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /**
   * What saving a rule with an HTTP action does, as in AWS: when no destination (in any state)
   * covers {@code confirmationUrl}, one is created for it and its confirmation request sent.
   *
   * @return the destination created, empty when one existed
   */
  Optional<TopicRuleDestination> ensureDestination(String confirmationUrl) {
    synchronized (changes) {
      boolean covered = store.all().stream().anyMatch(d -> d.covers(confirmationUrl));
      if (covered) {
        return Optional.empty();
      }
      TopicRuleDestination created = newDestination(confirmationUrl);
      if (!store.create(created)) {
        return Optional.empty();
      }
      sendConfirmation(created);
      return Optional.of(created);
    }
  }

  /** Checks a URL given as a destination's confirmation URL. */
  static void checkConfirmationUrl(String url, String where) {
    if (url == null || url.isEmpty()) {
      throw new InvalidRequestException(where + " is required");
    }
    DestinationUrls.check(url, where);
    if (DestinationUrls.hasTemplate(url)) {
      throw new InvalidRequestException(where + " must not contain substitution templates");
    }
  }

  private TopicRuleDestination newDestination(String confirmationUrl) {
    Instant now = now();
    String arn = account.arn("ruledestination", "http/" + UUID.randomUUID());
    TopicRuleDestination blank =
        new TopicRuleDestination(
            arn,
            TopicRuleDestinationStatus.IN_PROGRESS,
            "",
            now,
            now,
            confirmationUrl,
            Optional.empty(),
            Optional.empty());
    return awaitingConfirmation(blank, now);
  }

  private TopicRuleDestination awaitingConfirmation(TopicRuleDestination d, Instant now) {
    return d.withStatus(
        TopicRuleDestinationStatus.IN_PROGRESS,
        "Awaiting confirmation. Confirmation message sent on " + now + ".",
        now,
        Optional.of(newToken()),
        Optional.of(now));
  }

  private void sendConfirmation(TopicRuleDestination d) {
    String token = d.confirmationToken().orElseThrow();
    String base = restBaseUrl.get();
    String enableUrl =
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            + "/confirmdestination/"
            + token;
    confirmations.send(d, token, enableUrl);
  }

  /** The destination as clients see it now: an IN_PROGRESS one whose token expired is ERROR. */
  private TopicRuleDestination current(TopicRuleDestination d) {
    if (!expired(d, now())) {
      return d;
    }
    return new TopicRuleDestination(
        d.arn(),
        TopicRuleDestinationStatus.ERROR,
        timedOutReason(d),
        d.createdAt(),
        d.tokenIssuedAt().orElseThrow().plus(TOKEN_VALIDITY),
        d.confirmationUrl(),
        d.confirmationToken(),
        d.tokenIssuedAt());
  }

  private static boolean expired(TopicRuleDestination d, Instant now) {
    return d.status() == TopicRuleDestinationStatus.IN_PROGRESS
        && d.tokenIssuedAt().isPresent()
        && !now.isBefore(d.tokenIssuedAt().get().plus(TOKEN_VALIDITY));
  }

  private static String timedOutReason(TopicRuleDestination d) {
    return "Confirmation timed out: the confirmation message sent on "
        + d.tokenIssuedAt().map(Instant::toString).orElse("?")
        + " was not confirmed within 3 days";
  }

  private String newToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static ResourceAlreadyExistsException alreadyExists(TopicRuleDestination existing) {
    return new ResourceAlreadyExistsException(
        "A topic rule destination for " + existing.confirmationUrl() + " exists already",
        null,
        existing.arn());
  }

  private static UnauthorizedException denied(String arn) {
    return new UnauthorizedException("Access to TopicRuleDestination '" + arn + "' was denied");
  }

  private static ConflictingResourceUpdateException changedMeanwhile(String arn) {
    return new ConflictingResourceUpdateException(
        "The topic rule destination " + arn + " was changed at the same time; try again");
  }
}
