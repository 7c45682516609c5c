package io.pylon.it;

import static io.pylon.it.RegistryCliIT.assertError;
import static io.pylon.it.RegistryCliIT.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pylon.it.harness.AwsCli;
import io.pylon.it.harness.PylonServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Policies through the real AWS CLI: policy versions and their limit, the preconditions of deleting
 * policies and versions, attachments to certificates and thing groups, and marker paging, with the
 * errors the CLI prints.
 */
class PoliciesCliIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static final String ALLOW_CONNECT =
      "{\"Version\":\"2012-10-17\",\"Statement\":"
          + "[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static AwsCli aws;

  @BeforeAll
  static void setUp() {
    aws = AwsCli.of(pylon);
  }

  private static String allowPublish(int n) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Action\":\"iot:Publish\",\"Resource\":\"arn:aws:iot:*:*:topic/v"
        + n
        + "\"}]}";
  }

  // ---- policies -----------------------------------------------------------------------------

  @Test
  void policy_createGetList_duplicateAndMissingAndMalformedAreErrors() {
    JsonNode created =
        ok("iot", "create-policy", "--policy-name", "pc-basic", "--policy-document", ALLOW_CONNECT)
            .json();
    assertThat(created.path("policyName").asText()).isEqualTo("pc-basic");
    assertThat(created.path("policyArn").asText()).endsWith(":policy/pc-basic");
    assertThat(created.path("policyVersionId").asText()).isEqualTo("1");

    JsonNode got = ok("iot", "get-policy", "--policy-name", "pc-basic").json();
    assertThat(got.path("defaultVersionId").asText()).isEqualTo("1");
    assertThat(got.path("policyArn").asText()).isEqualTo(created.path("policyArn").asText());
    assertThat(got.path("policyDocument").asText()).contains("iot:Connect");
    assertThat(RegistryCliIT.timestamp(got.path("creationDate")))
        .isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());

    assertThat(names(ok("iot", "list-policies").json().path("policies"), "policyName"))
        .contains("pc-basic");

    assertError(
        aws.run(
            "iot",
            "create-policy",
            "--policy-name",
            "pc-basic",
            "--policy-document",
            ALLOW_CONNECT),
        "ResourceAlreadyExistsException",
        "CreatePolicy");
    assertError(
        aws.run("iot", "get-policy", "--policy-name", "pc-nothing"),
        "ResourceNotFoundException",
        "GetPolicy");
    assertError(
        aws.run(
            "iot",
            "create-policy",
            "--policy-name",
            "pc-malformed",
            "--policy-document",
            "{\"Statement\":[{\"Effect\":\"Perhaps\"}]}"),
        "MalformedPolicyException",
        "CreatePolicy");
  }

  @Test
  void policyVersions_fiveAtMost_defaultCannotBeDeleted_othersCan() {
    ok(
        "iot",
        "create-policy",
        "--policy-name",
        "pc-versions",
        "--policy-document",
        allowPublish(1));
    for (int n = 2; n <= 5; n++) {
      JsonNode version =
          ok(
                  "iot",
                  "create-policy-version",
                  "--policy-name",
                  "pc-versions",
                  "--policy-document",
                  allowPublish(n))
              .json();
      assertThat(version.path("policyVersionId").asText()).isEqualTo(Integer.toString(n));
      assertThat(version.path("isDefaultVersion").asBoolean()).isFalse();
    }
    assertError(
        aws.run(
            "iot",
            "create-policy-version",
            "--policy-name",
            "pc-versions",
            "--policy-document",
            allowPublish(6)),
        "VersionsLimitExceededException",
        "CreatePolicyVersion");

    JsonNode versions =
        ok("iot", "list-policy-versions", "--policy-name", "pc-versions")
            .json()
            .path("policyVersions");
    assertThat(names(versions, "versionId")).containsExactlyInAnyOrder("1", "2", "3", "4", "5");
    for (JsonNode v : versions) {
      assertThat(v.path("isDefaultVersion").asBoolean())
          .as("version " + v.path("versionId").asText())
          .isEqualTo(v.path("versionId").asText().equals("1"));
    }

    ok(
        "iot",
        "set-default-policy-version",
        "--policy-name",
        "pc-versions",
        "--policy-version-id",
        "3");
    JsonNode policy = ok("iot", "get-policy", "--policy-name", "pc-versions").json();
    assertThat(policy.path("defaultVersionId").asText()).isEqualTo("3");
    assertThat(policy.path("policyDocument").asText()).contains("topic/v3");
    JsonNode v3 =
        ok("iot", "get-policy-version", "--policy-name", "pc-versions", "--policy-version-id", "3")
            .json();
    assertThat(v3.path("isDefaultVersion").asBoolean()).isTrue();

    assertError(
        aws.run(
            "iot",
            "delete-policy-version",
            "--policy-name",
            "pc-versions",
            "--policy-version-id",
            "3"),
        "DeleteConflictException",
        "DeletePolicyVersion");
    ok("iot", "delete-policy-version", "--policy-name", "pc-versions", "--policy-version-id", "1");
    assertError(
        aws.run(
            "iot",
            "get-policy-version",
            "--policy-name",
            "pc-versions",
            "--policy-version-id",
            "1"),
        "ResourceNotFoundException",
        "GetPolicyVersion");

    // Room again for one more; version ids keep counting up.
    JsonNode sixth =
        ok(
                "iot",
                "create-policy-version",
                "--policy-name",
                "pc-versions",
                "--policy-document",
                allowPublish(6),
                "--set-as-default")
            .json();
    assertThat(sixth.path("policyVersionId").asText()).isEqualTo("6");
    assertThat(sixth.path("isDefaultVersion").asBoolean()).isTrue();

    // DeletePolicy needs the non-default versions gone first.
    assertError(
        aws.run("iot", "delete-policy", "--policy-name", "pc-versions"),
        "DeleteConflictException",
        "DeletePolicy");
    for (String id : new String[] {"2", "3", "4", "5"}) {
      ok("iot", "delete-policy-version", "--policy-name", "pc-versions", "--policy-version-id", id);
    }
    ok("iot", "delete-policy", "--policy-name", "pc-versions");
    assertError(
        aws.run("iot", "get-policy", "--policy-name", "pc-versions"),
        "ResourceNotFoundException",
        "GetPolicy");
  }

  @Test
  void deletePolicy_whileAttached_isAConflict_afterDetachItSucceeds() {
    ok("iot", "create-policy", "--policy-name", "pc-attached", "--policy-document", ALLOW_CONNECT);
    String certificateArn =
        ok("iot", "create-keys-and-certificate").json().path("certificateArn").asText();
    ok("iot", "attach-policy", "--policy-name", "pc-attached", "--target", certificateArn);
    assertThat(
            names(
                ok("iot", "list-attached-policies", "--target", certificateArn)
                    .json()
                    .path("policies"),
                "policyName"))
        .containsExactly("pc-attached");
    assertThat(
            ok("iot", "list-targets-for-policy", "--policy-name", "pc-attached")
                .json()
                .path("targets")
                .get(0)
                .asText())
        .isEqualTo(certificateArn);

    assertError(
        aws.run("iot", "delete-policy", "--policy-name", "pc-attached"),
        "DeleteConflictException",
        "DeletePolicy");

    ok("iot", "detach-policy", "--policy-name", "pc-attached", "--target", certificateArn);
    ok("iot", "delete-policy", "--policy-name", "pc-attached");
    assertThat(names(ok("iot", "list-policies").json().path("policies"), "policyName"))
        .doesNotContain("pc-attached");
  }

  @Test
  void attachPolicy_toAMissingTargetOrMissingPolicy_isNotFound() {
    ok("iot", "create-policy", "--policy-name", "pc-lonely", "--policy-document", ALLOW_CONNECT);
    String missingCert = pylon.server().account().arn("cert", "0".repeat(64));
    assertError(
        aws.run("iot", "attach-policy", "--policy-name", "pc-lonely", "--target", missingCert),
        "ResourceNotFoundException",
        "AttachPolicy");
    String certificateArn =
        ok("iot", "create-keys-and-certificate").json().path("certificateArn").asText();
    assertError(
        aws.run("iot", "attach-policy", "--policy-name", "pc-nothing", "--target", certificateArn),
        "ResourceNotFoundException",
        "AttachPolicy");
  }

  @Test
  void listPoliciesCertificatesAndTargets_pageThroughTheCliWithMarkers() {
    List<String> certificateIds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ok(
          "iot",
          "create-policy",
          "--policy-name",
          "pc-page-" + i,
          "--policy-document",
          ALLOW_CONNECT);
      JsonNode created = ok("iot", "create-keys-and-certificate").json();
      certificateIds.add(created.path("certificateId").asText());
      ok(
          "iot",
          "attach-policy",
          "--policy-name",
          "pc-page-0",
          "--target",
          created.path("certificateArn").asText());
    }

    // These operations take pageSize as a member of their own, so the CLI leaves paging to the
    // user: --page-size and then --marker with each nextMarker.
    List<String> policies = fieldOf(pages(2, "policies", "iot", "list-policies"), "policyName");
    assertThat(policies).doesNotHaveDuplicates().contains("pc-page-0", "pc-page-1", "pc-page-2");
    // Newest first unless asked otherwise.
    List<String> ascending =
        names(
            ok("iot", "list-policies", "--ascending-order").json().path("policies"), "policyName");
    List<String> newestFirst = new ArrayList<>(ascending);
    Collections.reverse(newestFirst);
    assertThat(policies).containsExactlyElementsOf(newestFirst);
    assertThat(fieldOf(pages(2, "certificates", "iot", "list-certificates"), "certificateId"))
        .doesNotHaveDuplicates()
        .containsAll(certificateIds);
    assertThat(pages(1, "targets", "iot", "list-targets-for-policy", "--policy-name", "pc-page-0"))
        .hasSize(3)
        .doesNotHaveDuplicates();

    // Without --page-size the CLI pages itself; --max-items 2 stops after two and hands back a
    // token to continue with.
    JsonNode firstTwo = ok("iot", "list-policies", "--max-items", "2").json();
    assertThat(firstTwo.path("policies")).hasSize(2);
    String token = firstTwo.path("NextToken").asText();
    assertThat(token).isNotBlank();
    JsonNode rest = ok("iot", "list-policies", "--starting-token", token).json();
    List<String> joined = names(firstTwo.path("policies"), "policyName");
    joined.addAll(names(rest.path("policies"), "policyName"));
    assertThat(joined).containsExactlyElementsOf(policies);
  }

  /**
   * Every item of a marker-paged list, {@code pageSize} per request, as JSON texts; asserts that no
   * page holds more and that a marker comes back while more remain.
   */
  private static List<String> pages(int pageSize, String listKey, String... command) {
    List<String> items = new ArrayList<>();
    String marker = null;
    for (int request = 0; request < 100; request++) {
      List<String> args = new ArrayList<>(List.of(command));
      args.addAll(List.of("--page-size", Integer.toString(pageSize)));
      if (marker != null) {
        args.addAll(List.of("--marker", marker));
      }
      JsonNode page = ok(args.toArray(String[]::new)).json();
      assertThat(page.path(listKey).size()).as(page.toString()).isLessThanOrEqualTo(pageSize);
      page.path(listKey).forEach(item -> items.add(item.toString()));
      if (!page.hasNonNull("nextMarker")) {
        return items;
      }
      marker = page.path("nextMarker").asText();
    }
    throw new AssertionError("more than 100 pages of " + String.join(" ", command));
  }

  private static List<String> fieldOf(List<String> jsonItems, String field) {
    List<String> names = new ArrayList<>();
    for (String item : jsonItems) {
      try {
        names.add(JSON.readTree(item).path(field).asText());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }

  @Test
  void attachedPolicies_ofAThingGroup_includeItsParentsWhenRecursive() {
    ok("iot", "create-policy", "--policy-name", "pc-parent", "--policy-document", ALLOW_CONNECT);
    ok("iot", "create-policy", "--policy-name", "pc-child", "--policy-document", ALLOW_CONNECT);
    String parentArn =
        ok("iot", "create-thing-group", "--thing-group-name", "pc-parent-group")
            .json()
            .path("thingGroupArn")
            .asText();
    String childArn =
        ok(
                "iot",
                "create-thing-group",
                "--thing-group-name",
                "pc-child-group",
                "--parent-group-name",
                "pc-parent-group")
            .json()
            .path("thingGroupArn")
            .asText();
    ok("iot", "attach-policy", "--policy-name", "pc-parent", "--target", parentArn);
    ok("iot", "attach-policy", "--policy-name", "pc-child", "--target", childArn);

    assertThat(
            names(
                ok("iot", "list-attached-policies", "--target", childArn).json().path("policies"),
                "policyName"))
        .containsExactly("pc-child");
    assertThat(
            names(
                ok("iot", "list-attached-policies", "--target", childArn, "--recursive")
                    .json()
                    .path("policies"),
                "policyName"))
        .containsExactlyInAnyOrder("pc-child", "pc-parent");

    // Deleting the group detaches its policies, so the policy can then be deleted.
    ok("iot", "delete-thing-group", "--thing-group-name", "pc-child-group");
    ok("iot", "delete-policy", "--policy-name", "pc-child");
    assertError(
        aws.run("iot", "delete-policy", "--policy-name", "pc-parent"),
        "DeleteConflictException",
        "DeletePolicy");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static AwsCli.Result ok(String... args) {
    AwsCli.Result result = aws.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isZero();
    return result;
  }
}
