package io.pylon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.it.harness.AwsCli;
import io.pylon.it.harness.PylonServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The thing registry through the real AWS CLI: things, thing types, thing groups and tags, with the
 * errors the CLI prints and its exit codes (0 on success, 254 for an error the service answered).
 */
class RegistryCliIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static AwsCli aws;

  @BeforeAll
  static void setUp() {
    aws = AwsCli.of(pylon);
  }

  // ---- things -------------------------------------------------------------------------------

  @Test
  void thing_createDescribeUpdateWithExpectedVersion_conflictOnAStaleVersion_delete() {
    AwsCli.Result created =
        ok(
            "iot",
            "create-thing",
            "--thing-name",
            "rc-lamp",
            "--attribute-payload",
            "{\"attributes\":{\"room\":\"kitchen\"}}");
    String thingArn = created.json().path("thingArn").asText();
    assertThat(created.json().path("thingName").asText()).isEqualTo("rc-lamp");
    assertThat(thingArn).endsWith(":thing/rc-lamp").startsWith("arn:aws:iot:");
    assertThat(created.json().path("thingId").asText()).isNotBlank();

    JsonNode described = ok("iot", "describe-thing", "--thing-name", "rc-lamp").json();
    assertThat(described.path("version").asLong()).isEqualTo(1);
    assertThat(described.path("attributes").path("room").asText()).isEqualTo("kitchen");
    assertThat(described.path("thingArn").asText()).isEqualTo(thingArn);
    assertThat(described.path("thingId").asText())
        .isEqualTo(created.json().path("thingId").asText());

    ok(
        "iot",
        "update-thing",
        "--thing-name",
        "rc-lamp",
        "--attribute-payload",
        "{\"attributes\":{\"room\":\"hall\",\"colour\":\"red\"},\"merge\":true}",
        "--expected-version",
        "1");
    JsonNode updated = ok("iot", "describe-thing", "--thing-name", "rc-lamp").json();
    assertThat(updated.path("version").asLong()).isEqualTo(2);
    assertThat(updated.path("attributes").path("room").asText()).isEqualTo("hall");
    assertThat(updated.path("attributes").path("colour").asText()).isEqualTo("red");

    assertError(
        aws.run(
            "iot",
            "update-thing",
            "--thing-name",
            "rc-lamp",
            "--attribute-payload",
            "{\"attributes\":{\"room\":\"attic\"}}",
            "--expected-version",
            "1"),
        "VersionConflictException",
        "UpdateThing");
    assertThat(
            ok("iot", "describe-thing", "--thing-name", "rc-lamp")
                .json()
                .path("attributes")
                .path("room")
                .asText())
        .isEqualTo("hall");

    assertError(
        aws.run("iot", "delete-thing", "--thing-name", "rc-lamp", "--expected-version", "1"),
        "VersionConflictException",
        "DeleteThing");
    ok("iot", "delete-thing", "--thing-name", "rc-lamp", "--expected-version", "2");
    assertError(
        aws.run("iot", "describe-thing", "--thing-name", "rc-lamp"),
        "ResourceNotFoundException",
        "DescribeThing");
  }

  @Test
  void thing_createTwiceIsAnError_updateOfAMissingThingIsNotFound() {
    ok("iot", "create-thing", "--thing-name", "rc-twice");
    // Same name, same (no) attributes: AWS answers the existing thing.
    ok("iot", "create-thing", "--thing-name", "rc-twice");
    assertError(
        aws.run(
            "iot",
            "create-thing",
            "--thing-name",
            "rc-twice",
            "--attribute-payload",
            "{\"attributes\":{\"a\":\"b\"}}"),
        "ResourceAlreadyExistsException",
        "CreateThing");
    assertError(
        aws.run(
            "iot",
            "update-thing",
            "--thing-name",
            "rc-missing",
            "--attribute-payload",
            "{\"attributes\":{\"a\":\"b\"}}"),
        "ResourceNotFoundException",
        "UpdateThing");
  }

  @Test
  void listThings_filtersByAttribute_andPagesThroughTheCli() {
    for (int i = 0; i < 5; i++) {
      ok(
          "iot",
          "create-thing",
          "--thing-name",
          "rc-batch-" + i,
          "--attribute-payload",
          "{\"attributes\":{\"batch\":\"b7\"}}");
    }
    ok(
        "iot",
        "create-thing",
        "--thing-name",
        "rc-batch-other",
        "--attribute-payload",
        "{\"attributes\":{\"batch\":\"b8\"}}");
    List<String> expected =
        List.of("rc-batch-0", "rc-batch-1", "rc-batch-2", "rc-batch-3", "rc-batch-4");

    // --page-size 2: the CLI follows nextToken over three requests and joins the pages.
    AwsCli.Result all =
        ok(
            "iot",
            "list-things",
            "--attribute-name",
            "batch",
            "--attribute-value",
            "b7",
            "--page-size",
            "2");
    assertThat(names(all.json().path("things"), "thingName"))
        .containsExactlyInAnyOrderElementsOf(expected);

    // --max-items 2: two things and a NextToken to continue from.
    List<String> paged = new ArrayList<>();
    String token = null;
    int calls = 0;
    do {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "iot",
                  "list-things",
                  "--attribute-name",
                  "batch",
                  "--attribute-value",
                  "b7",
                  "--max-items",
                  "2",
                  "--page-size",
                  "2"));
      if (token != null) {
        args.addAll(List.of("--starting-token", token));
      }
      JsonNode page = ok(args.toArray(String[]::new)).json();
      List<String> names = names(page.path("things"), "thingName");
      assertThat(names.size()).isLessThanOrEqualTo(2);
      paged.addAll(names);
      token = page.hasNonNull("NextToken") ? page.path("NextToken").asText() : null;
      calls++;
    } while (token != null && calls < 10);
    assertThat(paged).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(calls).isEqualTo(3);

    AwsCli.Result other =
        ok("iot", "list-things", "--attribute-name", "batch", "--attribute-value", "b8");
    assertThat(names(other.json().path("things"), "thingName")).containsExactly("rc-batch-other");
    JsonNode item = other.json().path("things").get(0);
    assertThat(item.path("attributes").path("batch").asText()).isEqualTo("b8");
    assertThat(item.path("version").asLong()).isEqualTo(1);
    assertThat(item.path("thingArn").asText()).endsWith(":thing/rc-batch-other");
  }

  // ---- thing types --------------------------------------------------------------------------

  @Test
  void thingType_deprecatedTakesNoNewThings_deletedOnlyWhenDeprecatedAndUnused() {
    AwsCli.Result created =
        ok(
            "iot",
            "create-thing-type",
            "--thing-type-name",
            "rc-sensor",
            "--thing-type-properties",
            "{\"thingTypeDescription\":\"a sensor\",\"searchableAttributes\":[\"model\"]}");
    assertThat(created.json().path("thingTypeArn").asText()).endsWith(":thingtype/rc-sensor");
    ok("iot", "create-thing", "--thing-name", "rc-typed", "--thing-type-name", "rc-sensor");
    assertThat(
            ok("iot", "describe-thing", "--thing-name", "rc-typed")
                .json()
                .path("thingTypeName")
                .asText())
        .isEqualTo("rc-sensor");

    assertError(
        aws.run("iot", "delete-thing-type", "--thing-type-name", "rc-sensor"),
        "InvalidRequestException",
        "DeleteThingType");

    ok("iot", "deprecate-thing-type", "--thing-type-name", "rc-sensor");
    JsonNode described = ok("iot", "describe-thing-type", "--thing-type-name", "rc-sensor").json();
    assertThat(described.path("thingTypeMetadata").path("deprecated").asBoolean()).isTrue();
    assertThat(timestamp(described.path("thingTypeMetadata").path("deprecationDate")))
        .isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
    assertThat(described.path("thingTypeProperties").path("thingTypeDescription").asText())
        .isEqualTo("a sensor");

    assertError(
        aws.run(
            "iot", "create-thing", "--thing-name", "rc-typed-2", "--thing-type-name", "rc-sensor"),
        "InvalidRequestException",
        "CreateThing");
    assertError(
        aws.run("iot", "delete-thing-type", "--thing-type-name", "rc-sensor"),
        "InvalidRequestException",
        "DeleteThingType");

    // Undeprecate and deprecate again: the flag follows.
    ok("iot", "deprecate-thing-type", "--thing-type-name", "rc-sensor", "--undo-deprecate");
    assertThat(
            ok("iot", "describe-thing-type", "--thing-type-name", "rc-sensor")
                .json()
                .path("thingTypeMetadata")
                .path("deprecated")
                .asBoolean())
        .isFalse();
    ok("iot", "deprecate-thing-type", "--thing-type-name", "rc-sensor");

    ok("iot", "update-thing", "--thing-name", "rc-typed", "--remove-thing-type");
    ok("iot", "delete-thing-type", "--thing-type-name", "rc-sensor");
    assertError(
        aws.run("iot", "describe-thing-type", "--thing-type-name", "rc-sensor"),
        "ResourceNotFoundException",
        "DescribeThingType");
  }

  // ---- thing groups -------------------------------------------------------------------------

  @Test
  void thingGroups_parentAndChild_membershipListedDirectlyAndRecursively() {
    ok("iot", "create-thing-group", "--thing-group-name", "rc-building");
    AwsCli.Result child =
        ok(
            "iot",
            "create-thing-group",
            "--thing-group-name",
            "rc-floor-1",
            "--parent-group-name",
            "rc-building");
    String childArn = child.json().path("thingGroupArn").asText();
    assertThat(childArn).endsWith(":thinggroup/rc-floor-1");
    ok("iot", "create-thing", "--thing-name", "rc-door");
    ok("iot", "create-thing", "--thing-name", "rc-window");
    ok(
        "iot",
        "add-thing-to-thing-group",
        "--thing-group-name",
        "rc-building",
        "--thing-name",
        "rc-door");
    ok(
        "iot",
        "add-thing-to-thing-group",
        "--thing-group-name",
        "rc-floor-1",
        "--thing-name",
        "rc-window");

    JsonNode described =
        ok("iot", "describe-thing-group", "--thing-group-name", "rc-floor-1").json();
    assertThat(described.path("thingGroupMetadata").path("parentGroupName").asText())
        .isEqualTo("rc-building");
    assertThat(
            names(
                described.path("thingGroupMetadata").path("rootToParentThingGroups"), "groupName"))
        .containsExactly("rc-building");

    assertThat(things("rc-building")).containsExactly("rc-door");
    assertThat(things("rc-building", "--recursive"))
        .containsExactlyInAnyOrder("rc-door", "rc-window");
    assertThat(things("rc-floor-1")).containsExactly("rc-window");

    JsonNode groups = ok("iot", "list-thing-groups-for-thing", "--thing-name", "rc-window").json();
    assertThat(names(groups.path("thingGroups"), "groupName")).containsExactly("rc-floor-1");
    assertThat(groups.path("thingGroups").get(0).path("groupArn").asText()).isEqualTo(childArn);

    assertError(
        aws.run("iot", "delete-thing-group", "--thing-group-name", "rc-building"),
        "InvalidRequestException",
        "DeleteThingGroup");

    ok(
        "iot",
        "remove-thing-from-thing-group",
        "--thing-group-name",
        "rc-floor-1",
        "--thing-name",
        "rc-window");
    assertThat(things("rc-building", "--recursive")).containsExactly("rc-door");
    assertThat(
            ok("iot", "list-thing-groups-for-thing", "--thing-name", "rc-window")
                .json()
                .path("thingGroups"))
        .isEmpty();

    assertError(
        aws.run(
            "iot",
            "add-thing-to-thing-group",
            "--thing-group-name",
            "rc-no-such-group",
            "--thing-name",
            "rc-door"),
        "ResourceNotFoundException",
        "AddThingToThingGroup");
    assertError(
        aws.run("iot", "list-things-in-thing-group", "--thing-group-name", "rc-no-such-group"),
        "ResourceNotFoundException",
        "ListThingsInThingGroup");

    ok("iot", "delete-thing-group", "--thing-group-name", "rc-floor-1");
    ok("iot", "delete-thing-group", "--thing-group-name", "rc-building");
    assertThat(
            ok("iot", "list-thing-groups-for-thing", "--thing-name", "rc-door")
                .json()
                .path("thingGroups"))
        .isEmpty();
  }

  // ---- tags ---------------------------------------------------------------------------------

  @Test
  void tags_onAThingGroupAndAThingType_taggedListedUntagged() {
    String groupArn =
        ok(
                "iot",
                "create-thing-group",
                "--thing-group-name",
                "rc-tagged",
                "--tags",
                "Key=team,Value=blue")
            .json()
            .path("thingGroupArn")
            .asText();
    assertThat(tags(groupArn)).containsExactly("team=blue");

    ok(
        "iot",
        "tag-resource",
        "--resource-arn",
        groupArn,
        "--tags",
        "Key=env,Value=prod",
        "Key=team,Value=red");
    assertThat(tags(groupArn)).containsExactlyInAnyOrder("env=prod", "team=red");

    ok("iot", "untag-resource", "--resource-arn", groupArn, "--tag-keys", "team");
    assertThat(tags(groupArn)).containsExactly("env=prod");

    String typeArn =
        ok("iot", "create-thing-type", "--thing-type-name", "rc-tagged-type")
            .json()
            .path("thingTypeArn")
            .asText();
    ok("iot", "tag-resource", "--resource-arn", typeArn, "--tags", "Key=owner,Value=ops");
    assertThat(tags(typeArn)).containsExactly("owner=ops");

    String missing = groupArn.replace("rc-tagged", "rc-not-there");
    assertError(
        aws.run("iot", "tag-resource", "--resource-arn", missing, "--tags", "Key=a,Value=b"),
        "ResourceNotFoundException",
        "TagResource");
  }

  @Test
  void thingGroupsAndTypes_listWithFiltersAndPages() {
    ok("iot", "create-thing-group", "--thing-group-name", "rc-zone");
    ok(
        "iot",
        "create-thing-group",
        "--thing-group-name",
        "rc-zone-a",
        "--parent-group-name",
        "rc-zone");
    ok(
        "iot",
        "create-thing-group",
        "--thing-group-name",
        "rc-zone-a-1",
        "--parent-group-name",
        "rc-zone-a");
    ok(
        "iot",
        "create-thing-group",
        "--thing-group-name",
        "rc-zone-b",
        "--parent-group-name",
        "rc-zone");

    List<String> all =
        names(
            ok("iot", "list-thing-groups", "--page-size", "1").json().path("thingGroups"),
            "groupName");
    assertThat(all)
        .doesNotHaveDuplicates()
        .contains("rc-zone", "rc-zone-a", "rc-zone-a-1", "rc-zone-b");
    assertThat(
            names(
                ok("iot", "list-thing-groups", "--parent-group", "rc-zone", "--no-recursive")
                    .json()
                    .path("thingGroups"),
                "groupName"))
        .containsExactlyInAnyOrder("rc-zone-a", "rc-zone-b");
    assertThat(
            names(
                ok("iot", "list-thing-groups", "--parent-group", "rc-zone", "--recursive")
                    .json()
                    .path("thingGroups"),
                "groupName"))
        .containsExactlyInAnyOrder("rc-zone-a", "rc-zone-a-1", "rc-zone-b");
    assertThat(
            names(
                ok("iot", "list-thing-groups", "--name-prefix-filter", "rc-zone-a")
                    .json()
                    .path("thingGroups"),
                "groupName"))
        .containsExactlyInAnyOrder("rc-zone-a", "rc-zone-a-1");
    // update-thing-group with an expected version, and a stale one.
    ok(
        "iot",
        "update-thing-group",
        "--thing-group-name",
        "rc-zone-b",
        "--thing-group-properties",
        "{\"thingGroupDescription\":\"the b side\"}",
        "--expected-version",
        "1");
    assertError(
        aws.run(
            "iot",
            "update-thing-group",
            "--thing-group-name",
            "rc-zone-b",
            "--thing-group-properties",
            "{\"thingGroupDescription\":\"stale\"}",
            "--expected-version",
            "1"),
        "VersionConflictException",
        "UpdateThingGroup");
    JsonNode b = ok("iot", "describe-thing-group", "--thing-group-name", "rc-zone-b").json();
    assertThat(b.path("version").asLong()).isEqualTo(2);
    assertThat(b.path("thingGroupProperties").path("thingGroupDescription").asText())
        .isEqualTo("the b side");

    for (int i = 0; i < 3; i++) {
      ok("iot", "create-thing-type", "--thing-type-name", "rc-kind-" + i);
      ok(
          "iot",
          "create-thing",
          "--thing-name",
          "rc-member-" + i,
          "--thing-type-name",
          "rc-kind-" + i);
      ok(
          "iot",
          "add-thing-to-thing-group",
          "--thing-group-name",
          "rc-zone-a-1",
          "--thing-name",
          "rc-member-" + i);
    }
    assertThat(
            names(
                ok("iot", "list-thing-types", "--page-size", "1").json().path("thingTypes"),
                "thingTypeName"))
        .doesNotHaveDuplicates()
        .contains("rc-kind-0", "rc-kind-1", "rc-kind-2");
    assertThat(
            names(
                ok("iot", "list-things", "--thing-type-name", "rc-kind-1").json().path("things"),
                "thingName"))
        .containsExactly("rc-member-1");
    assertThat(things("rc-zone", "--recursive", "--page-size", "1"))
        .containsExactlyInAnyOrder("rc-member-0", "rc-member-1", "rc-member-2");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static AwsCli.Result ok(String... args) {
    AwsCli.Result result = aws.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isZero();
    return result;
  }

  static void assertError(AwsCli.Result result, String code, String operation) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(254);
    assertThat(result.errorCode()).as(result.toString()).hasValue(code);
    assertThat(result.errorOperation()).hasValue(operation);
    assertThat(result.stderr()).contains("(" + code + ")");
  }

  private static List<String> things(String group, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("iot", "list-things-in-thing-group", "--thing-group-name", group));
    args.addAll(List.of(extra));
    List<String> names = new ArrayList<>();
    ok(args.toArray(String[]::new)).json().path("things").forEach(n -> names.add(n.asText()));
    return names;
  }

  private static List<String> tags(String arn) {
    List<String> tags = new ArrayList<>();
    ok("iot", "list-tags-for-resource", "--resource-arn", arn)
        .json()
        .path("tags")
        .forEach(t -> tags.add(t.path("Key").asText() + "=" + t.path("Value").asText()));
    return tags;
  }

  /** A timestamp as the CLI prints it (ISO 8601; epoch seconds from the service). */
  static Instant timestamp(JsonNode node) {
    assertThat(node.isTextual()).as("timestamp " + node).isTrue();
    return OffsetDateTime.parse(node.asText()).toInstant();
  }

  static List<String> names(JsonNode items, String field) {
    List<String> names = new ArrayList<>();
    items.forEach(i -> names.add(i.path(field).asText()));
    return names;
  }
}
