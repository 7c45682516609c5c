package io.pylon.domain.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.UnauthorizedException;
import io.pylon.domain.tagging.Tag;
import io.pylon.domain.tagging.TaggingService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Topic rules: CreateTopicRule, GetTopicRule, ReplaceTopicRule, DeleteTopicRule, ListTopicRules,
 * EnableTopicRule and DisableTopicRule.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Validation</b> (AWS API reference and quotas): name 1..128 of {@code [a-zA-Z0-9_]};
 *       {@code sql} required and accepted by the {@link TopicRuleCheck} (SqlParseException
 *       otherwise), which also gives the {@code FROM} topic filter that ListTopicRules reports and
 *       filters by; {@code awsIotSqlVersion} one of {@value #DEFAULT_SQL_VERSION} (the default),
 *       {@code 2016-03-23}, {@code beta}; at most {@value #MAX_ACTIONS} actions, each and the error
 *       action checked by {@link TopicRuleActions}; the payload at most 256 KB as JSON.
 *   <li><b>HTTP actions</b>: {@code url} https (or http to a loopback host, see {@link
 *       DestinationUrls}), starting with {@code confirmationUrl} when one is given; a {@code url}
 *       with substitution templates needs a {@code confirmationUrl}. As in AWS, saving the rule
 *       creates a destination for the confirmation URL ({@code url} itself when there is none)
 *       unless one already covers it or it holds templates; the rule is saved either way, and its
 *       HTTP action sends nothing until the destination is ENABLED (the runtime asks {@link
 *       TopicRuleDestinationService#enabledDestinationFor}).
 *   <li><b>Unknown rules</b> answer UnauthorizedException, as AWS does (its model lists no
 *       ResourceNotFound for these operations).
 *   <li><b>Notifications</b>: the {@link TopicRuleListener} hears of every committed change, in
 *       order: changes are serialised by this service (they are rare), listener call included.
 *   <li><b>Tags</b> given on create go to the tagging service; they leave with the rule.
 * </ul>
 */
public final class TopicRuleService {

  public static final int MAX_ACTIONS = 10;
  public static final int MAX_PAYLOAD_BYTES = 256 * 1024;
  public static final String DEFAULT_SQL_VERSION = "2015-10-08";
  public static final Set<String> SQL_VERSIONS = Set.of(DEFAULT_SQL_VERSION, "2016-03-23", "beta");

  private static final Pattern RULE_NAME = Pattern.compile("[a-zA-Z0-9_]{1,128}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AwsAccount account;
  private final TopicRuleStore store;
  private final TopicRuleCheck ruleCheck;
  private final TopicRuleDestinationService destinations;
  private final TaggingService tagging;
  private final TopicRuleListener listener;
  private final Clock clock;
  private final Object changes = new Object();

  public TopicRuleService(
      AwsAccount account,
      TopicRuleStore store,
      TopicRuleCheck ruleCheck,
      TopicRuleDestinationService destinations,
      TaggingService tagging,
      TopicRuleListener listener,
      Clock clock) {
    this.account = Objects.requireNonNull(account, "account");
    this.store = Objects.requireNonNull(store, "store");
    this.ruleCheck = Objects.requireNonNull(ruleCheck, "ruleCheck");
    this.destinations = Objects.requireNonNull(destinations, "destinations");
    this.tagging = Objects.requireNonNull(tagging, "tagging");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code arn:aws:iot:<region>:<account>:rule/<name>}. */
  public String arn(String ruleName) {
    return account.arn("rule", ruleName);
  }

  /** CreateTopicRule. */
  public TopicRule createTopicRule(String ruleName, TopicRulePayload payload, List<Tag> tags) {
    checkName(ruleName);
    tagging.validate(tags);
    TopicRule rule = validated(ruleName, payload, now());
    synchronized (changes) {
      if (!store.create(rule)) {
        throw new ResourceAlreadyExistsException(
            "A topic rule named " + ruleName + " exists already", ruleName, rule.ruleArn());
      }
      tagging.tagNew(rule.ruleArn(), tags);
      ensureDestinations(rule);
      listener.onRuleSaved(rule);
    }
    return rule;
  }

  /** GetTopicRule. */
  public TopicRule getTopicRule(String ruleName) {
    checkName(ruleName);
    return store.find(ruleName).orElseThrow(() -> denied(ruleName));
  }

  /** The rule if it exists, for callers that decide themselves what absence means. */
  public Optional<TopicRule> find(String ruleName) {
    return RULE_NAME.matcher(ruleName).matches() ? store.find(ruleName) : Optional.empty();
  }

  /**
   * ListTopicRules, in name order: only rules whose {@code FROM} topic filter is exactly {@code
   * topic}, and only those enabled or disabled, when asked.
   */
  public Page<TopicRule> listTopicRules(
      Optional<String> topic, Optional<Boolean> ruleDisabled, PageRequest page) {
    return store.list(page, topic.filter(t -> !t.isEmpty()), ruleDisabled);
  }

  /** Every rule, in name order. */
  public List<TopicRule> all() {
    return store.all();
  }

  /**
   * Hands every rule (name order) to {@code startup} while no change can commit. The rules runtime
   * loads its index here and adds its listener (to the {@link TopicRuleListeners} this service
   * notifies) inside {@code startup}, so that it neither misses a change nor sees one older than
   * what it loaded:
   *
   * <pre>
   * rules.withAllRules(all -&gt; { index.load(all); listeners.add(index); });
   * </pre>
   */
  public void withAllRules(Consumer<List<TopicRule>> startup) {
    synchronized (changes) {
      startup.accept(store.all());
    }
  }

  /** ReplaceTopicRule: everything but the name, the creation date and the tags is replaced. */
  public TopicRule replaceTopicRule(String ruleName, TopicRulePayload payload) {
    checkName(ruleName);
    synchronized (changes) {
      TopicRule current = store.find(ruleName).orElseThrow(() -> denied(ruleName));
      TopicRule rule = validated(ruleName, payload, current.createdAt());
      if (!store.replace(rule)) {
        throw denied(ruleName);
      }
      ensureDestinations(rule);
      listener.onRuleSaved(rule);
      return rule;
    }
  }

  /** DeleteTopicRule. */
  public void deleteTopicRule(String ruleName) {
    checkName(ruleName);
    synchronized (changes) {
      if (!store.delete(ruleName)) {
        throw denied(ruleName);
      }
      tagging.forget(arn(ruleName));
      listener.onRuleDeleted(ruleName);
    }
  }

  /** EnableTopicRule; enabling an enabled rule changes nothing. */
  public void enableTopicRule(String ruleName) {
    setDisabled(ruleName, false);
  }

  /** DisableTopicRule; disabling a disabled rule changes nothing. */
  public void disableTopicRule(String ruleName) {
    setDisabled(ruleName, true);
  }

  /** Whether {@code arn} names a rule of this server (rules can be tagged). */
  public boolean exists(String arn) {
    return account.resourceOf(arn, "rule").flatMap(this::find).isPresent();
  }

  private void setDisabled(String ruleName, boolean disabled) {
    checkName(ruleName);
    synchronized (changes) {
      TopicRule rule = store.setDisabled(ruleName, disabled).orElseThrow(() -> denied(ruleName));
      listener.onRuleSaved(rule);
    }
  }

  private TopicRule validated(String ruleName, TopicRulePayload payload, Instant createdAt) {
    int size = payloadSize(payload);
    if (size > MAX_PAYLOAD_BYTES) {
      throw new InvalidRequestException(
          "The rule payload is "
              + size
              + " bytes; a rule payload may be at most "
              + MAX_PAYLOAD_BYTES
              + " bytes");
    }
    if (payload.sql().isBlank()) {
      throw new InvalidRequestException("sql is required");
    }
    String version = payload.awsIotSqlVersion().orElse(DEFAULT_SQL_VERSION);
    if (!SQL_VERSIONS.contains(version)) {
      throw new InvalidRequestException(
          "awsIotSqlVersion must be 2015-10-08, 2016-03-23 or beta, was '" + version + "'");
    }
    if (payload.actions().size() > MAX_ACTIONS) {
      throw new InvalidRequestException(
          "A rule may have at most "
              + MAX_ACTIONS
              + " actions, this one has "
              + payload.actions().size());
    }
    List<ObjectNode> actions = payload.actions();
    for (int i = 0; i < actions.size(); i++) {
      checkAction(actions.get(i), "actions[" + i + "]");
    }
    payload.errorAction().ifPresent(a -> checkAction(a, "errorAction"));
    Optional<String> topicPattern =
        ruleCheck.check(ruleName, payload, version).filter(t -> !t.isEmpty());
    return new TopicRule(
        ruleName,
        arn(ruleName),
        payload.sql(),
        payload.description(),
        topicPattern,
        createdAt,
        actions,
        payload.errorAction(),
        payload.ruleDisabled(),
        version);
  }

  private static void checkAction(ObjectNode action, String where) {
    String type = TopicRuleActions.check(action, where);
    if (type.equals("http")) {
      checkHttp(action.get(type), where + ".http");
    }
  }

  private static void checkHttp(JsonNode http, String where) {
    String url = http.get("url").textValue();
    DestinationUrls.check(url, where + ".url");
    JsonNode confirmation = http.get("confirmationUrl");
    if (confirmation != null && !confirmation.isNull()) {
      String confirmationUrl = confirmation.textValue();
      DestinationUrls.check(confirmationUrl, where + ".confirmationUrl");
      if (!url.startsWith(confirmationUrl)) {
        throw new InvalidRequestException(
            where + ".url must start with " + where + ".confirmationUrl");
      }
    } else if (DestinationUrls.hasTemplate(url)) {
      throw new InvalidRequestException(
          where + ".confirmationUrl is required when " + where + ".url has substitution templates");
    }
  }

  /** Creates the destinations that the rule's HTTP actions imply and that do not exist yet. */
  private void ensureDestinations(TopicRule rule) {
    List<ObjectNode> all = new ArrayList<>(rule.actions());
    rule.errorAction().ifPresent(all::add);
    for (ObjectNode action : all) {
      JsonNode http = action.get("http");
      if (http == null) {
        continue;
      }
      JsonNode confirmation = http.get("confirmationUrl");
      String confirmationUrl =
          confirmation != null && !confirmation.isNull()
              ? confirmation.textValue()
              : http.get("url").textValue();
      if (!DestinationUrls.hasTemplate(confirmationUrl)) {
        destinations.ensureDestination(confirmationUrl);
      }
    }
  }

  /** The payload's size as compact JSON, the form in which AWS counts it. */
  private static int payloadSize(TopicRulePayload payload) {
    ObjectNode json = JSON.createObjectNode();
    json.put("sql", payload.sql());
    payload.description().ifPresent(d -> json.put("description", d));
    ArrayNode actions = json.putArray("actions");
    payload.actions().forEach(actions::add);
    json.put("ruleDisabled", payload.ruleDisabled());
    payload.awsIotSqlVersion().ifPresent(v -> json.put("awsIotSqlVersion", v));
    payload.errorAction().ifPresent(a -> json.set("errorAction", a));
    return json.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  private static void checkName(String ruleName) {
    if (ruleName == null || !RULE_NAME.matcher(ruleName).matches()) {
      throw new InvalidRequestException(
          "ruleName must be 1 to 128 characters of letters, digits and underscores, was '"
              + ruleName
              + "'");
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static UnauthorizedException denied(String ruleName) {
    return new UnauthorizedException("Access to TopicRule '" + ruleName + "' was denied");
  }
}
