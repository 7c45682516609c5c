package io.pylon.http.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.rules.TopicRule;
import io.pylon.domain.rules.TopicRuleDestination;
import io.pylon.domain.rules.TopicRuleDestinationService;
import io.pylon.domain.rules.TopicRuleDestinationStatus;
import io.pylon.domain.rules.TopicRuleService;
import io.pylon.http.rest.JsonMembers;
import io.pylon.http.rest.Paging;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code iot} operations on topic rules (CreateTopicRule, GetTopicRule, ReplaceTopicRule,
 * DeleteTopicRule, ListTopicRules, EnableTopicRule, DisableTopicRule) and on topic rule
 * destinations (CreateTopicRuleDestination, GetTopicRuleDestination, ListTopicRuleDestinations,
 * UpdateTopicRuleDestination, DeleteTopicRuleDestination, ConfirmTopicRuleDestination).
 *
 * <p>Members are read where the botocore model puts them (the rule payload is the whole body of
 * CreateTopicRule and ReplaceTopicRule, tags come in the {@code x-amz-tagging} header); outputs
 * carry exactly the model's members, absent ones left out, dates as epoch seconds. Actions go out
 * as they were stored: the JSON the client sent. Only HTTP URL destinations exist here: a {@code
 * vpcConfiguration} is refused, Pylon runs in no VPC.
 */
public final class TopicRulesApi implements RestApi {

  private static final String SERVICE = "iot";
  // The models' largest pages; Pylon's pages are at most PageRequest.LARGEST_MAX_RESULTS, and
  // asking for more gets that many and a nextToken, which AWS clients follow.
  private static final int RULES_MAX_RESULTS = 10_000;
  private static final int DESTINATIONS_MAX_RESULTS = 1_000;

  private final TopicRuleService rules;
  private final TopicRuleDestinationService destinations;

  public TopicRulesApi(TopicRuleService rules, TopicRuleDestinationService destinations) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.destinations = Objects.requireNonNull(destinations, "destinations");
  }

  @Override
  public void register(Operations operations) {
    operations.on(SERVICE, "CreateTopicRule", this::createTopicRule);
    operations.on(SERVICE, "GetTopicRule", this::getTopicRule);
    operations.on(SERVICE, "ReplaceTopicRule", this::replaceTopicRule);
    operations.on(SERVICE, "DeleteTopicRule", this::deleteTopicRule);
    operations.on(SERVICE, "ListTopicRules", this::listTopicRules);
    operations.on(SERVICE, "EnableTopicRule", this::enableTopicRule);
    operations.on(SERVICE, "DisableTopicRule", this::disableTopicRule);
    operations.on(SERVICE, "CreateTopicRuleDestination", this::createTopicRuleDestination);
    operations.on(SERVICE, "GetTopicRuleDestination", this::getTopicRuleDestination);
    operations.on(SERVICE, "ListTopicRuleDestinations", this::listTopicRuleDestinations);
    operations.on(SERVICE, "UpdateTopicRuleDestination", this::updateTopicRuleDestination);
    operations.on(SERVICE, "DeleteTopicRuleDestination", this::deleteTopicRuleDestination);
    operations.on(SERVICE, "ConfirmTopicRuleDestination", this::confirmTopicRuleDestination);
  }

  // ---- rules ----------------------------------------------------------------------------------

  RestResponse createTopicRule(RestRequest request) {
    rules.createTopicRule(
        request.label("ruleName"),
        TopicRulePayloadJson.parse(request.json()),
        TaggingHeader.parse(request.header(TaggingHeader.NAME)));
    return RestResponse.empty();
  }

  RestResponse getTopicRule(RestRequest request) {
    TopicRule rule = rules.getTopicRule(request.label("ruleName"));
    ObjectNode out = RestJson.object();
    out.put("ruleArn", rule.ruleArn());
    ObjectNode body = out.putObject("rule");
    body.put("ruleName", rule.ruleName());
    body.put("sql", rule.sql());
    rule.description().ifPresent(d -> body.put("description", d));
    body.put("createdAt", RestJson.epochSeconds(rule.createdAt()));
    ArrayNode actions = body.putArray("actions");
    rule.actions().forEach(actions::add);
    body.put("ruleDisabled", rule.ruleDisabled());
    body.put("awsIotSqlVersion", rule.awsIotSqlVersion());
    rule.errorAction().ifPresent(a -> body.set("errorAction", a));
    return RestResponse.json(out);
  }

  RestResponse replaceTopicRule(RestRequest request) {
    rules.replaceTopicRule(request.label("ruleName"), TopicRulePayloadJson.parse(request.json()));
    return RestResponse.empty();
  }

  RestResponse deleteTopicRule(RestRequest request) {
    rules.deleteTopicRule(request.label("ruleName"));
    return RestResponse.empty();
  }

  RestResponse listTopicRules(RestRequest request) {
    Page<TopicRule> page =
        rules.listTopicRules(
            request.query("topic"),
            request.queryBoolean("ruleDisabled"),
            page(request, RULES_MAX_RESULTS));
    ObjectNode out = RestJson.object();
    ArrayNode items = out.putArray("rules");
    for (TopicRule rule : page.items()) {
      ObjectNode item = items.addObject();
      item.put("ruleArn", rule.ruleArn());
      item.put("ruleName", rule.ruleName());
      rule.topicPattern().ifPresent(t -> item.put("topicPattern", t));
      item.put("createdAt", RestJson.epochSeconds(rule.createdAt()));
      item.put("ruleDisabled", rule.ruleDisabled());
    }
    Paging.putNextToken(out, page);
    return RestResponse.json(out);
  }

  RestResponse enableTopicRule(RestRequest request) {
    rules.enableTopicRule(request.label("ruleName"));
    return RestResponse.empty();
  }

  RestResponse disableTopicRule(RestRequest request) {
    rules.disableTopicRule(request.label("ruleName"));
    return RestResponse.empty();
  }

  // ---- destinations ---------------------------------------------------------------------------

  RestResponse createTopicRuleDestination(RestRequest request) {
    JsonNode configuration =
        JsonMembers.object(request.json(), "destinationConfiguration")
            .orElseThrow(() -> JsonMembers.missing("destinationConfiguration"));
    Optional<JsonNode> http = JsonMembers.object(configuration, "httpUrlConfiguration");
    boolean vpc = JsonMembers.object(configuration, "vpcConfiguration").isPresent();
    if (http.isPresent() == vpc) {
      throw new InvalidRequestException(
          "destinationConfiguration must have exactly one of httpUrlConfiguration and"
              + " vpcConfiguration");
    }
    if (vpc) {
      throw new InvalidRequestException(
          "VPC topic rule destinations are not supported: this server runs in no VPC");
    }
    TopicRuleDestination created =
        destinations.createTopicRuleDestination(
            JsonMembers.requiredString(http.get(), "confirmationUrl"));
    ObjectNode out = RestJson.object();
    out.set("topicRuleDestination", destination(created));
    return RestResponse.json(out);
  }

  RestResponse getTopicRuleDestination(RestRequest request) {
    ObjectNode out = RestJson.object();
    out.set(
        "topicRuleDestination",
        destination(destinations.getTopicRuleDestination(request.label("arn"))));
    return RestResponse.json(out);
  }

  RestResponse listTopicRuleDestinations(RestRequest request) {
    Page<TopicRuleDestination> page =
        destinations.listTopicRuleDestinations(page(request, DESTINATIONS_MAX_RESULTS));
    ObjectNode out = RestJson.object();
    ArrayNode items = out.putArray("destinationSummaries");
    for (TopicRuleDestination d : page.items()) {
      ObjectNode item = items.addObject();
      common(item, d);
      item.putObject("httpUrlSummary").put("confirmationUrl", d.confirmationUrl());
    }
    Paging.putNextToken(out, page);
    return RestResponse.json(out);
  }

  RestResponse updateTopicRuleDestination(RestRequest request) {
    JsonNode body = request.json();
    String arn = JsonMembers.requiredString(body, "arn");
    String status = JsonMembers.requiredString(body, "status");
    TopicRuleDestinationStatus parsed;
    try {
      parsed = TopicRuleDestinationStatus.valueOf(status);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "status must be ENABLED, IN_PROGRESS, DISABLED, ERROR or DELETING, was '" + status + "'");
    }
    destinations.updateTopicRuleDestination(arn, parsed);
    return RestResponse.empty();
  }

  RestResponse deleteTopicRuleDestination(RestRequest request) {
    destinations.deleteTopicRuleDestination(request.label("arn"));
    return RestResponse.empty();
  }

  RestResponse confirmTopicRuleDestination(RestRequest request) {
    destinations.confirmTopicRuleDestination(request.label("confirmationToken"));
    return RestResponse.empty();
  }

  // ---- members --------------------------------------------------------------------------------

  private static PageRequest page(RestRequest request, int modelMax) {
    int maxResults = request.queryInt("maxResults").orElse(PageRequest.DEFAULT_MAX_RESULTS);
    if (maxResults < 1 || maxResults > modelMax) {
      throw new InvalidRequestException(
          "maxResults must be between 1 and " + modelMax + ", was " + maxResults);
    }
    return new PageRequest(
        Math.min(maxResults, PageRequest.LARGEST_MAX_RESULTS), request.query("nextToken"));
  }

  private static ObjectNode destination(TopicRuleDestination d) {
    ObjectNode out = RestJson.object();
    common(out, d);
    out.putObject("httpUrlProperties").put("confirmationUrl", d.confirmationUrl());
    return out;
  }

  private static void common(ObjectNode out, TopicRuleDestination d) {
    out.put("arn", d.arn());
    out.put("status", d.status().name());
    out.put("createdAt", RestJson.epochSeconds(d.createdAt()));
    out.put("lastUpdatedAt", RestJson.epochSeconds(d.lastUpdatedAt()));
    if (!d.statusReason().isEmpty()) {
      out.put("statusReason", d.statusReason());
    }
  }
}
