package io.pylon.http.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pylon.domain.AwsAccount;
import io.pylon.domain.error.DeleteConflictException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.MalformedPolicyException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.policy.AuthResult;
import io.pylon.domain.policy.AuthorizationSimulator;
import io.pylon.domain.policy.EffectivePolicy;
import io.pylon.domain.policy.MemoryPolicyStore;
import io.pylon.domain.policy.PolicyListeners;
import io.pylon.domain.policy.PolicyService;
import io.pylon.domain.policy.PolicyTagging;
import io.pylon.domain.policy.PolicyTargets;
import io.pylon.domain.policy.ThingGroupAncestry;
import io.pylon.http.rest.RestOperation;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoliciesApiTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  static final String DOC =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\","
          + "\"Resource\":\"*\"}]}";
  static final String CERT_ID = "0123456789abcdef".repeat(4);
  static final String CERT = ACCOUNT.arn("cert", CERT_ID);
  static final String GROUP = ACCOUNT.arn("thinggroup", "floor-1");
  static final String PARENT = ACCOUNT.arn("thinggroup", "building");

  final List<AuthorizationSimulator.Question> questions = new ArrayList<>();
  final List<String> tagged = new ArrayList<>();
  final PolicyService service =
      new PolicyService(
          ACCOUNT,
          new MemoryPolicyStore(),
          document -> {
            if (!document.startsWith("{")) {
              throw new MalformedPolicyException("The policy is not valid JSON");
            }
          },
          new PolicyTargets() {
            @Override
            public boolean certificateExists(String certificateId) {
              return certificateId.equals(CERT_ID);
            }

            @Override
            public boolean thingGroupExists(String groupName) {
              return groupName.equals("floor-1") || groupName.equals("building");
            }
          },
          new ThingGroupAncestry() {
            @Override
            public Optional<List<String>> ancestorsOf(String groupName) {
              return switch (groupName) {
                case "floor-1" -> Optional.of(List.of("building"));
                case "building" -> Optional.of(List.of());
                default -> Optional.empty();
              };
            }

            @Override
            public Optional<List<String>> groupsOf(String thingName) {
              return thingName.equals("lamp-1")
                  ? Optional.of(List.of("floor-1"))
                  : Optional.empty();
            }
          },
          question -> {
            questions.add(question);
            List<String> names = question.policies().stream().map(EffectivePolicy::name).toList();
            return new AuthResult(
                question.authInfo(),
                AuthResult.Decision.EXPLICIT_DENY,
                List.of(),
                names.subList(0, 1),
                names.subList(1, names.size()),
                List.of("iot:Connection.Thing.ThingName"));
          },
          new PolicyTagging() {
            @Override
            public void tagged(String policyArn, List<Tag> tags) {
              tagged.add(policyArn + " " + tags);
            }

            @Override
            public void deleted(String policyArn) {}
          },
          new PolicyListeners(),
          Clock.fixed(Instant.parse("2026-03-04T05:06:07.890Z"), ZoneOffset.UTC));

  final Map<String, RestOperation> operations = new HashMap<>();

  PoliciesApiTest() {
    new PoliciesApi(service)
        .register(
            (svc, operation, handler) -> {
              assertThat(svc).isEqualTo("iot");
              assertThat(operations.put(operation, handler)).isNull();
            });
  }

  RestResponse call(
      String operation,
      Map<String, String> labels,
      Map<String, List<String>> query,
      Map<String, String> headers,
      String body) {
    RestOperation handler = operations.get(operation);
    assertThat(handler).as(operation).isNotNull();
    return handler.handle(
        new RestRequest(
            operation,
            new RestRequest.Caller.SigV4("AKIDEXAMPLE", "us-east-1"),
            labels,
            query,
            headers,
            body.getBytes(StandardCharsets.UTF_8)));
  }

  RestResponse call(String operation, Map<String, String> labels, String body) {
    return call(operation, labels, Map.of(), Map.of(), body);
  }

  static JsonNode json(RestResponse response) {
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("application/json");
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static String body(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static Map<String, String> name(String policyName) {
    return Map.of("policyName", policyName);
  }

  void createPolicy(String policyName) {
    call("CreatePolicy", name(policyName), body(Map.of("policyDocument", DOC)));
  }

  @Test
  void register_coversEveryPolicyOperation() {
    assertThat(operations)
        .containsOnlyKeys(
            "CreatePolicy",
            "GetPolicy",
            "DeletePolicy",
            "ListPolicies",
            "CreatePolicyVersion",
            "GetPolicyVersion",
            "ListPolicyVersions",
            "SetDefaultPolicyVersion",
            "DeletePolicyVersion",
            "AttachPolicy",
            "DetachPolicy",
            "AttachPrincipalPolicy",
            "DetachPrincipalPolicy",
            "ListPrincipalPolicies",
            "ListPolicyPrincipals",
            "ListAttachedPolicies",
            "ListTargetsForPolicy",
            "GetEffectivePolicies",
            "TestAuthorization");
  }

  @Test
  void createPolicy_answersTheModelsMembers() {
    JsonNode out =
        json(
            call(
                "CreatePolicy",
                name("p1"),
                body(
                    Map.of(
                        "policyDocument",
                        DOC,
                        "tags",
                        List.of(Map.of("Key", "env", "Value", "dev"), Map.of("Key", "bare"))))));

    assertThat(fieldNames(out))
        .containsExactlyInAnyOrder("policyName", "policyArn", "policyDocument", "policyVersionId");
    assertThat(out.get("policyName").asText()).isEqualTo("p1");
    assertThat(out.get("policyArn").asText())
        .isEqualTo("arn:aws:iot:us-east-1:123456789012:policy/p1");
    assertThat(out.get("policyDocument").asText()).isEqualTo(DOC);
    assertThat(out.get("policyVersionId").asText()).isEqualTo("1");
    assertThat(tagged)
        .containsExactly(
            "arn:aws:iot:us-east-1:123456789012:policy/p1"
                + " [Tag[key=env, value=dev], Tag[key=bare, value=]]");
  }

  @Test
  void createPolicy_missingOrMalformedDocument_fails() {
    assertThatThrownBy(() -> call("CreatePolicy", name("p1"), "{}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("policyDocument");
    assertThatThrownBy(() -> call("CreatePolicy", name("p1"), body(Map.of("policyDocument", 5))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () -> call("CreatePolicy", name("p1"), body(Map.of("policyDocument", "nope"))))
        .isInstanceOf(MalformedPolicyException.class);
  }

  @Test
  void getPolicy_answersDatesAsEpochSecondsAndGeneration() {
    createPolicy("p1");

    JsonNode out = json(call("GetPolicy", name("p1"), ""));

    assertThat(fieldNames(out))
        .containsExactlyInAnyOrder(
            "policyName",
            "policyArn",
            "policyDocument",
            "defaultVersionId",
            "creationDate",
            "lastModifiedDate",
            "generationId");
    assertThat(out.get("defaultVersionId").asText()).isEqualTo("1");
    assertThat(out.get("creationDate").isNumber()).isTrue();
    assertThat(out.get("creationDate").decimalValue()).isEqualByComparingTo("1772600767.890");
    assertThat(out.get("lastModifiedDate").decimalValue()).isEqualByComparingTo("1772600767.890");
    assertThat(out.get("generationId").asText()).hasSize(64);
  }

  @Test
  void getPolicy_unknown_isNotFound() {
    assertThatThrownBy(() -> call("GetPolicy", name("nope"), ""))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void listPolicies_pagesWithMarkerAndOmitsNextMarkerOnLastPage() {
    createPolicy("a");
    createPolicy("b");
    createPolicy("c");

    JsonNode first =
        json(
            call(
                "ListPolicies",
                Map.of(),
                Map.of("pageSize", List.of("2"), "isAscendingOrder", List.of("true")),
                Map.of(),
                ""));
    assertThat(first.get("policies")).hasSize(2);
    assertThat(first.get("policies").get(0).get("policyName").asText()).isEqualTo("a");
    assertThat(first.get("policies").get(0).get("policyArn").asText())
        .isEqualTo("arn:aws:iot:us-east-1:123456789012:policy/a");
    assertThat(fieldNames(first.get("policies").get(0)))
        .containsExactlyInAnyOrder("policyName", "policyArn");
    String marker = first.get("nextMarker").asText();
    assertThat(marker).matches("[A-Za-z0-9+/]+={0,2}");

    JsonNode second =
        json(
            call(
                "ListPolicies",
                Map.of(),
                Map.of(
                    "pageSize", List.of("2"),
                    "isAscendingOrder", List.of("true"),
                    "marker", List.of(marker)),
                Map.of(),
                ""));
    assertThat(second.get("policies")).hasSize(1);
    assertThat(second.get("policies").get(0).get("policyName").asText()).isEqualTo("c");
    assertThat(second.has("nextMarker")).isFalse();
  }

  @Test
  void listPolicies_pageSizeOutOfRange_isInvalidRequest() {
    assertThatThrownBy(
            () -> call("ListPolicies", Map.of(), Map.of("pageSize", List.of("251")), Map.of(), ""))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void versions_createGetListSetDefaultDelete() {
    createPolicy("p1");

    JsonNode created =
        json(
            call(
                "CreatePolicyVersion",
                name("p1"),
                Map.of("setAsDefault", List.of("true")),
                Map.of(),
                body(Map.of("policyDocument", "{\"v\":2}"))));
    assertThat(fieldNames(created))
        .containsExactlyInAnyOrder(
            "policyArn", "policyDocument", "policyVersionId", "isDefaultVersion");
    assertThat(created.get("policyVersionId").asText()).isEqualTo("2");
    assertThat(created.get("isDefaultVersion").asBoolean()).isTrue();

    JsonNode v1 =
        json(call("GetPolicyVersion", Map.of("policyName", "p1", "policyVersionId", "1"), ""));
    assertThat(fieldNames(v1))
        .containsExactlyInAnyOrder(
            "policyArn",
            "policyName",
            "policyDocument",
            "policyVersionId",
            "isDefaultVersion",
            "creationDate",
            "lastModifiedDate",
            "generationId");
    assertThat(v1.get("isDefaultVersion").asBoolean()).isFalse();
    assertThat(v1.get("policyDocument").asText()).isEqualTo(DOC);

    JsonNode list = json(call("ListPolicyVersions", name("p1"), ""));
    assertThat(list.get("policyVersions")).hasSize(2);
    JsonNode first = list.get("policyVersions").get(0);
    assertThat(fieldNames(first))
        .containsExactlyInAnyOrder("versionId", "isDefaultVersion", "createDate");
    assertThat(first.get("versionId").asText()).isEqualTo("1");
    assertThat(first.get("isDefaultVersion").asBoolean()).isFalse();
    assertThat(first.get("createDate").isNumber()).isTrue();

    assertThatThrownBy(
            () ->
                call("DeletePolicyVersion", Map.of("policyName", "p1", "policyVersionId", "2"), ""))
        .isInstanceOf(DeleteConflictException.class);
    RestResponse set =
        call("SetDefaultPolicyVersion", Map.of("policyName", "p1", "policyVersionId", "1"), "");
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.body()).isEmpty();
    call("DeletePolicyVersion", Map.of("policyName", "p1", "policyVersionId", "2"), "");
    assertThat(json(call("ListPolicyVersions", name("p1"), "")).get("policyVersions")).hasSize(1);
    assertThat(call("DeletePolicy", name("p1"), "").body()).isEmpty();
    assertThatThrownBy(() -> call("GetPolicy", name("p1"), ""))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void createPolicyVersion_withoutSetAsDefault_isNotDefault() {
    createPolicy("p1");

    JsonNode created =
        json(call("CreatePolicyVersion", name("p1"), body(Map.of("policyDocument", "{}"))));

    assertThat(created.get("isDefaultVersion").asBoolean()).isFalse();
  }

  @Test
  void attachPolicy_thenListBothWays_andDetach() {
    createPolicy("p1");
    call("AttachPolicy", name("p1"), body(Map.of("target", CERT)));
    call("AttachPolicy", name("p1"), body(Map.of("target", GROUP)));

    JsonNode attached = json(call("ListAttachedPolicies", Map.of("target", CERT), ""));
    assertThat(attached.get("policies")).hasSize(1);
    assertThat(attached.get("policies").get(0).get("policyName").asText()).isEqualTo("p1");
    assertThat(attached.has("nextMarker")).isFalse();

    JsonNode targets = json(call("ListTargetsForPolicy", name("p1"), ""));
    assertThat(targets.get("targets"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder(CERT, GROUP);

    call("DetachPolicy", name("p1"), body(Map.of("target", CERT)));
    assertThat(json(call("ListAttachedPolicies", Map.of("target", CERT), "")).get("policies"))
        .isEmpty();
  }

  @Test
  void attachPolicy_missingOrBadTarget_isInvalidRequest() {
    createPolicy("p1");

    assertThatThrownBy(() -> call("AttachPolicy", name("p1"), "{}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("target");
    assertThatThrownBy(() -> call("AttachPolicy", name("p1"), body(Map.of("target", "x"))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void listAttachedPolicies_recursive_includesParentGroups() {
    createPolicy("on-floor");
    createPolicy("on-building");
    call("AttachPolicy", name("on-floor"), body(Map.of("target", GROUP)));
    call("AttachPolicy", name("on-building"), body(Map.of("target", PARENT)));

    JsonNode flat = json(call("ListAttachedPolicies", Map.of("target", GROUP), ""));
    JsonNode recursive =
        json(
            call(
                "ListAttachedPolicies",
                Map.of("target", GROUP),
                Map.of("recursive", List.of("true")),
                Map.of(),
                ""));

    assertThat(flat.get("policies"))
        .extracting(p -> p.get("policyName").asText())
        .containsExactly("on-floor");
    assertThat(recursive.get("policies"))
        .extracting(p -> p.get("policyName").asText())
        .containsExactly("on-floor", "on-building");
  }

  @Test
  void principalPolicyOperations_readTheirHeaders() {
    createPolicy("p1");
    createPolicy("p2");
    Map<String, String> principal = Map.of("x-amzn-iot-principal", CERT);

    call("AttachPrincipalPolicy", name("p1"), Map.of(), principal, "");
    call("AttachPrincipalPolicy", name("p2"), Map.of(), principal, "");

    JsonNode policies =
        json(
            call(
                "ListPrincipalPolicies",
                Map.of(),
                Map.of("isAscendingOrder", List.of("true")),
                principal,
                ""));
    assertThat(policies.get("policies"))
        .extracting(p -> p.get("policyName").asText())
        .containsExactly("p1", "p2");
    JsonNode principals =
        json(
            call(
                "ListPolicyPrincipals", Map.of(), Map.of(), Map.of("x-amzn-iot-policy", "p1"), ""));
    assertThat(principals.get("principals")).extracting(JsonNode::asText).containsExactly(CERT);

    call("DetachPrincipalPolicy", name("p1"), Map.of(), principal, "");
    assertThat(
            json(call("ListPrincipalPolicies", Map.of(), Map.of(), principal, "")).get("policies"))
        .extracting(p -> p.get("policyName").asText())
        .containsExactly("p2");
    assertThatThrownBy(() -> call("AttachPrincipalPolicy", name("p1"), Map.of(), Map.of(), ""))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("x-amzn-iot-principal");
  }

  @Test
  void getEffectivePolicies_certificateAndThing() {
    createPolicy("on-cert");
    createPolicy("on-building");
    call("AttachPolicy", name("on-cert"), body(Map.of("target", CERT)));
    call("AttachPolicy", name("on-building"), body(Map.of("target", PARENT)));

    JsonNode out =
        json(
            call(
                "GetEffectivePolicies",
                Map.of(),
                Map.of("thingName", List.of("lamp-1")),
                Map.of(),
                body(Map.of("principal", CERT, "cognitoIdentityPoolId", "ignored"))));

    JsonNode policies = out.get("effectivePolicies");
    assertThat(policies)
        .extracting(p -> p.get("policyName").asText())
        .containsExactly("on-cert", "on-building");
    assertThat(fieldNames(policies.get(0)))
        .containsExactlyInAnyOrder("policyName", "policyArn", "policyDocument");
    assertThat(policies.get(0).get("policyDocument").asText()).isEqualTo(DOC);
  }

  @Test
  void testAuthorization_passesQuestionsAndAnswersTheModelsShape() {
    createPolicy("first");
    createPolicy("second");
    call("AttachPolicy", name("first"), body(Map.of("target", CERT)));

    JsonNode out =
        json(
            call(
                "TestAuthorization",
                Map.of(),
                Map.of("clientId", List.of("lamp-1")),
                Map.of(),
                body(
                    Map.of(
                        "principal",
                        CERT,
                        "authInfos",
                        List.of(
                            Map.of(
                                "actionType",
                                "PUBLISH",
                                "resources",
                                List.of(ACCOUNT.arn("topic", "a/b")))),
                        "policyNamesToAdd",
                        List.of("second")))));

    assertThat(questions)
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.principal()).contains(CERT);
              assertThat(q.clientId()).contains("lamp-1");
              assertThat(q.policies())
                  .extracting(EffectivePolicy::name)
                  .containsExactly("first", "second");
              assertThat(q.authInfo().resources()).containsExactly(ACCOUNT.arn("topic", "a/b"));
            });
    JsonNode result = out.get("authResults").get(0);
    assertThat(fieldNames(result))
        .containsExactlyInAnyOrder(
            "authInfo", "allowed", "denied", "authDecision", "missingContextValues");
    assertThat(result.get("authInfo").get("actionType").asText()).isEqualTo("PUBLISH");
    assertThat(result.get("authDecision").asText()).isEqualTo("EXPLICIT_DENY");
    assertThat(result.get("allowed").get("policies")).isEmpty();
    assertThat(
            result
                .get("denied")
                .get("explicitDeny")
                .get("policies")
                .get(0)
                .get("policyArn")
                .asText())
        .isEqualTo("arn:aws:iot:us-east-1:123456789012:policy/first");
    assertThat(result.get("denied").get("implicitDeny").get("policies"))
        .extracting(p -> p.get("policyName").asText())
        .containsExactly("second");
    assertThat(result.get("missingContextValues"))
        .extracting(JsonNode::asText)
        .containsExactly("iot:Connection.Thing.ThingName");
  }

  @Test
  void testAuthorization_badAuthInfos_isInvalidRequest() {
    assertThatThrownBy(() -> call("TestAuthorization", Map.of(), "{}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("authInfos");
    assertThatThrownBy(
            () ->
                call(
                    "TestAuthorization",
                    Map.of(),
                    body(
                        Map.of(
                            "authInfos",
                            List.of(Map.of("actionType", "DANCE", "resources", List.of("*")))))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("actionType");
    assertThatThrownBy(
            () ->
                call(
                    "TestAuthorization",
                    Map.of(),
                    body(Map.of("authInfos", List.of(Map.of("actionType", "CONNECT"))))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("resources");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
