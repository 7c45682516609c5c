package io.pylon.http.policy;

import static io.pylon.http.policy.RequestMembers.optionalString;
import static io.pylon.http.policy.RequestMembers.page;
import static io.pylon.http.policy.RequestMembers.requiredHeader;
import static io.pylon.http.policy.RequestMembers.requiredString;
import static io.pylon.http.policy.RequestMembers.stringList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.Page;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.policy.AuthInfo;
import io.pylon.domain.policy.AuthResult;
import io.pylon.domain.policy.AuthorizationTest;
import io.pylon.domain.policy.EffectivePolicy;
import io.pylon.domain.policy.Policy;
import io.pylon.domain.policy.PolicyService;
import io.pylon.domain.policy.PolicyTagging;
import io.pylon.domain.policy.PolicyVersionDetails;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code iot} operations on policies: CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, the
 * version operations, AttachPolicy and DetachPolicy with their deprecated principal-policy forms,
 * ListAttachedPolicies, ListTargetsForPolicy, GetEffectivePolicies and TestAuthorization.
 *
 * <p>Members are read where the botocore model puts them; outputs carry exactly the model's
 * members, absent ones left out, dates as epoch seconds. {@code cognitoIdentityPoolId} is accepted
 * and ignored: Pylon has no Cognito.
 */
public final class PoliciesApi implements RestApi {

  private static final String SERVICE = "iot";
  private static final String PRINCIPAL_HEADER = "x-amzn-iot-principal";
  private static final String POLICY_HEADER = "x-amzn-iot-policy";

  private final PolicyService policies;

  public PoliciesApi(PolicyService policies) {
    this.policies = Objects.requireNonNull(policies, "policies");
  }

  @Override
  public void register(Operations operations) {
    operations.on(SERVICE, "CreatePolicy", this::createPolicy);
    operations.on(SERVICE, "GetPolicy", this::getPolicy);
    operations.on(SERVICE, "DeletePolicy", this::deletePolicy);
    operations.on(SERVICE, "ListPolicies", this::listPolicies);
    operations.on(SERVICE, "CreatePolicyVersion", this::createPolicyVersion);
    operations.on(SERVICE, "GetPolicyVersion", this::getPolicyVersion);
    operations.on(SERVICE, "ListPolicyVersions", this::listPolicyVersions);
    operations.on(SERVICE, "SetDefaultPolicyVersion", this::setDefaultPolicyVersion);
    operations.on(SERVICE, "DeletePolicyVersion", this::deletePolicyVersion);
    operations.on(SERVICE, "AttachPolicy", this::attachPolicy);
    operations.on(SERVICE, "DetachPolicy", this::detachPolicy);
    operations.on(SERVICE, "AttachPrincipalPolicy", this::attachPrincipalPolicy);
    operations.on(SERVICE, "DetachPrincipalPolicy", this::detachPrincipalPolicy);
    operations.on(SERVICE, "ListPrincipalPolicies", this::listPrincipalPolicies);
    operations.on(SERVICE, "ListPolicyPrincipals", this::listPolicyPrincipals);
    operations.on(SERVICE, "ListAttachedPolicies", this::listAttachedPolicies);
    operations.on(SERVICE, "ListTargetsForPolicy", this::listTargetsForPolicy);
    operations.on(SERVICE, "GetEffectivePolicies", this::getEffectivePolicies);
    operations.on(SERVICE, "TestAuthorization", this::testAuthorization);
  }

  // ---- policies -------------------------------------------------------------------------------

  RestResponse createPolicy(RestRequest request) {
    JsonNode body = request.json();
    Policy policy =
        policies.createPolicy(
            request.label("policyName"),
            requiredString(body, "policyDocument"),
            tags(body.get("tags")));
    ObjectNode out = RestJson.object();
    out.put("policyName", policy.name());
    out.put("policyArn", policies.arn(policy.name()));
    out.put("policyDocument", policy.document());
    out.put("policyVersionId", policy.defaultVersionId());
    return RestResponse.json(out);
  }

  RestResponse getPolicy(RestRequest request) {
    Policy policy = policies.getPolicy(request.label("policyName"));
    ObjectNode out = RestJson.object();
    out.put("policyName", policy.name());
    out.put("policyArn", policies.arn(policy.name()));
    out.put("policyDocument", policy.document());
    out.put("defaultVersionId", policy.defaultVersionId());
    out.put("creationDate", RestJson.epochSeconds(policy.creationDate()));
    out.put("lastModifiedDate", RestJson.epochSeconds(policy.lastModifiedDate()));
    out.put("generationId", policy.generationId());
    return RestResponse.json(out);
  }

  RestResponse deletePolicy(RestRequest request) {
    policies.deletePolicy(request.label("policyName"));
    return RestResponse.empty();
  }

  RestResponse listPolicies(RestRequest request) {
    Page<Policy> page =
        policies.listPolicies(
            page(request), request.queryBoolean("isAscendingOrder").orElse(false));
    ObjectNode out = RestJson.object();
    ArrayNode items = out.putArray("policies");
    page.items().forEach(p -> items.add(policySummary(p.name())));
    page.nextToken().ifPresent(t -> out.put("nextMarker", t));
    return RestResponse.json(out);
  }

  // ---- versions -------------------------------------------------------------------------------

  RestResponse createPolicyVersion(RestRequest request) {
    JsonNode body = request.json();
    PolicyVersionDetails created =
        policies.createPolicyVersion(
            request.label("policyName"),
            requiredString(body, "policyDocument"),
            request.queryBoolean("setAsDefault").orElse(false));
    ObjectNode out = RestJson.object();
    out.put("policyArn", policies.arn(created.policy().name()));
    out.put("policyDocument", created.version().document());
    out.put("policyVersionId", created.version().versionId());
    out.put("isDefaultVersion", created.isDefaultVersion());
    return RestResponse.json(out);
  }

  RestResponse getPolicyVersion(RestRequest request) {
    PolicyVersionDetails details =
        policies.getPolicyVersion(request.label("policyName"), request.label("policyVersionId"));
    Policy policy = details.policy();
    ObjectNode out = RestJson.object();
    out.put("policyArn", policies.arn(policy.name()));
    out.put("policyName", policy.name());
    out.put("policyDocument", details.version().document());
    out.put("policyVersionId", details.version().versionId());
    out.put("isDefaultVersion", details.isDefaultVersion());
    // The version's own creation; its modification is the policy's (a version is immutable, but
    // becoming or ceasing to be the default is a change AWS reports here).
    out.put("creationDate", RestJson.epochSeconds(details.version().createDate()));
    out.put("lastModifiedDate", RestJson.epochSeconds(policy.lastModifiedDate()));
    out.put("generationId", policy.generationId());
    return RestResponse.json(out);
  }

  RestResponse listPolicyVersions(RestRequest request) {
    List<PolicyVersionDetails> versions = policies.listPolicyVersions(request.label("policyName"));
    ObjectNode out = RestJson.object();
    ArrayNode items = out.putArray("policyVersions");
    for (PolicyVersionDetails v : versions) {
      ObjectNode item = items.addObject();
      item.put("versionId", v.version().versionId());
      item.put("isDefaultVersion", v.isDefaultVersion());
      item.put("createDate", RestJson.epochSeconds(v.version().createDate()));
    }
    return RestResponse.json(out);
  }

  RestResponse setDefaultPolicyVersion(RestRequest request) {
    policies.setDefaultPolicyVersion(request.label("policyName"), request.label("policyVersionId"));
    return RestResponse.empty();
  }

  RestResponse deletePolicyVersion(RestRequest request) {
    policies.deletePolicyVersion(request.label("policyName"), request.label("policyVersionId"));
    return RestResponse.empty();
  }

  // ---- attachments ----------------------------------------------------------------------------

  RestResponse attachPolicy(RestRequest request) {
    policies.attachPolicy(request.label("policyName"), requiredString(request.json(), "target"));
    return RestResponse.empty();
  }

  RestResponse detachPolicy(RestRequest request) {
    policies.detachPolicy(request.label("policyName"), requiredString(request.json(), "target"));
    return RestResponse.empty();
  }

  RestResponse attachPrincipalPolicy(RestRequest request) {
    policies.attachPrincipalPolicy(
        request.label("policyName"), requiredHeader(request, PRINCIPAL_HEADER, "principal"));
    return RestResponse.empty();
  }

  RestResponse detachPrincipalPolicy(RestRequest request) {
    policies.detachPrincipalPolicy(
        request.label("policyName"), requiredHeader(request, PRINCIPAL_HEADER, "principal"));
    return RestResponse.empty();
  }

  RestResponse listPrincipalPolicies(RestRequest request) {
    Page<String> page =
        policies.listPrincipalPolicies(
            requiredHeader(request, PRINCIPAL_HEADER, "principal"),
            page(request),
            request.queryBoolean("isAscendingOrder").orElse(false));
    return policyPage(page);
  }

  RestResponse listPolicyPrincipals(RestRequest request) {
    Page<String> page =
        policies.listPolicyPrincipals(
            requiredHeader(request, POLICY_HEADER, "policyName"),
            page(request),
            request.queryBoolean("isAscendingOrder").orElse(false));
    ObjectNode out = RestJson.object();
    ArrayNode items = out.putArray("principals");
    page.items().forEach(items::add);
    page.nextToken().ifPresent(t -> out.put("nextMarker", t));
    return RestResponse.json(out);
  }

  RestResponse listAttachedPolicies(RestRequest request) {
    Page<String> page =
        policies.listAttachedPolicies(
            request.label("target"),
            request.queryBoolean("recursive").orElse(false),
            page(request));
    return policyPage(page);
  }

  RestResponse listTargetsForPolicy(RestRequest request) {
    Page<String> page = policies.listTargetsForPolicy(request.label("policyName"), page(request));
    ObjectNode out = RestJson.object();
    ArrayNode items = out.putArray("targets");
    page.items().forEach(items::add);
    page.nextToken().ifPresent(t -> out.put("nextMarker", t));
    return RestResponse.json(out);
  }

  // ---- what applies ---------------------------------------------------------------------------

  RestResponse getEffectivePolicies(RestRequest request) {
    List<EffectivePolicy> effective =
        policies.getEffectivePolicies(
            optionalString(request.json(), "principal"), request.query("thingName"));
    ObjectNode out = RestJson.object();
    ArrayNode items = out.putArray("effectivePolicies");
    for (EffectivePolicy p : effective) {
      ObjectNode item = items.addObject();
      item.put("policyName", p.name());
      item.put("policyArn", p.arn());
      item.put("policyDocument", p.document());
    }
    return RestResponse.json(out);
  }

  RestResponse testAuthorization(RestRequest request) {
    JsonNode body = request.json();
    JsonNode infos = body.get("authInfos");
    if (infos == null || !infos.isArray()) {
      throw new InvalidRequestException("authInfos is required");
    }
    List<AuthInfo> authInfos = new ArrayList<>();
    for (JsonNode info : infos) {
      authInfos.add(authInfo(info));
    }
    List<AuthResult> results =
        policies.testAuthorization(
            new AuthorizationTest(
                optionalString(body, "principal"),
                request.query("clientId"),
                authInfos,
                stringList(body, "policyNamesToAdd"),
                stringList(body, "policyNamesToSkip")));
    ObjectNode out = RestJson.object();
    ArrayNode items = out.putArray("authResults");
    for (AuthResult result : results) {
      ObjectNode item = items.addObject();
      item.set("authInfo", authInfoJson(result.authInfo()));
      item.putObject("allowed").set("policies", policySummaries(result.allowed()));
      ObjectNode denied = item.putObject("denied");
      denied.putObject("implicitDeny").set("policies", policySummaries(result.implicitDeny()));
      denied.putObject("explicitDeny").set("policies", policySummaries(result.explicitDeny()));
      item.put("authDecision", result.authDecision().name());
      ArrayNode missing = item.putArray("missingContextValues");
      result.missingContextValues().forEach(missing::add);
    }
    return RestResponse.json(out);
  }

  // ---- shapes ---------------------------------------------------------------------------------

  private static List<PolicyTagging.Tag> tags(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequestException("tags must be a list of {Key, Value}");
    }
    List<PolicyTagging.Tag> tags = new ArrayList<>();
    for (JsonNode tag : node) {
      if (!tag.isObject()) {
        throw new InvalidRequestException("tags must be a list of {Key, Value}");
      }
      tags.add(
          new PolicyTagging.Tag(
              requiredString(tag, "Key"), optionalString(tag, "Value").orElse("")));
    }
    return tags;
  }

  private static AuthInfo authInfo(JsonNode node) {
    if (!node.isObject()) {
      throw new InvalidRequestException("authInfos must be a list of {actionType, resources}");
    }
    Optional<AuthInfo.ActionType> actionType =
        optionalString(node, "actionType").map(PoliciesApi::actionType);
    JsonNode resources = node.get("resources");
    if (resources == null || !resources.isArray()) {
      throw new InvalidRequestException("authInfos[].resources is required");
    }
    return new AuthInfo(actionType, stringList(node, "resources"));
  }

  private static AuthInfo.ActionType actionType(String value) {
    try {
      return AuthInfo.ActionType.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "actionType must be one of PUBLISH, SUBSCRIBE, RECEIVE, CONNECT; was '" + value + "'");
    }
  }

  private static ObjectNode authInfoJson(AuthInfo info) {
    ObjectNode out = RestJson.object();
    info.actionType().ifPresent(a -> out.put("actionType", a.name()));
    ArrayNode resources = out.putArray("resources");
    info.resources().forEach(resources::add);
    return out;
  }

  private ObjectNode policySummary(String name) {
    ObjectNode item = RestJson.object();
    item.put("policyName", name);
    item.put("policyArn", policies.arn(name));
    return item;
  }

  private ArrayNode policySummaries(List<String> names) {
    ArrayNode items = RestJson.object().arrayNode();
    names.forEach(n -> items.add(policySummary(n)));
    return items;
  }

  private RestResponse policyPage(Page<String> page) {
    ObjectNode out = RestJson.object();
    ArrayNode items = out.putArray("policies");
    page.items().forEach(n -> items.add(policySummary(n)));
    page.nextToken().ifPresent(t -> out.put("nextMarker", t));
    return RestResponse.json(out);
  }
}
