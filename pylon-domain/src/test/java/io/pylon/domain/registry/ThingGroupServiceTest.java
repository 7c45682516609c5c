package io.pylon.domain.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.error.VersionConflictException;
import io.pylon.domain.tagging.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ThingGroupServiceTest {

  private final Registry registry = new Registry();
  private final ThingGroupService groups = registry.groups;

  private ThingGroup group(String name, String parent) {
    return groups.createThingGroup(
        name, Optional.ofNullable(parent), Optional.empty(), Map.of(), List.of());
  }

  private void thing(String name) {
    registry.things.createThing(name, Optional.empty(), Map.of(), Optional.empty());
  }

  private List<String> names(List<ThingGroup> list) {
    return list.stream().map(ThingGroup::name).toList();
  }

  @Test
  void createThingGroup_childKnowsItsPathFromTheRoot() {
    group("building", null);
    group("floor", "building");
    ThingGroup room = group("room", "floor");

    assertThat(room.ancestors()).containsExactly("building", "floor");
    assertThat(room.parentName()).contains("floor");
    assertThat(room.version()).isEqualTo(1);
    assertThat(room.creationDate()).isEqualTo(Registry.START);
    assertThat(groups.describeThingGroup("room")).isEqualTo(room);
  }

  @Test
  void createThingGroup_identicalAgainReturnsIt_differentIsAlreadyExists() {
    group("building", null);
    ThingGroup first =
        groups.createThingGroup(
            "g", Optional.of("building"), Optional.of("d"), Map.of("a", "1"), List.of());

    assertThat(
            groups.createThingGroup(
                "g", Optional.of("building"), Optional.of("d"), Map.of("a", "1"), List.of()))
        .isEqualTo(first);
    assertThatThrownBy(() -> group("g", null)).isInstanceOf(ResourceAlreadyExistsException.class);
  }

  @Test
  void createThingGroup_sevenLevelsAllowed_eighthRefused() {
    String parent = null;
    for (int level = 1; level <= 7; level++) {
      group("level" + level, parent);
      parent = "level" + level;
    }

    assertThat(groups.describeThingGroup("level7").depth()).isEqualTo(7);
    assertThatThrownBy(() -> group("level8", "level7"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at most 7 levels");
  }

  @Test
  void createThingGroup_unknownParent_isInvalid_andTagsAreKept() {
    assertThatThrownBy(() -> group("g", "nope"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("nope");

    groups.createThingGroup(
        "g", Optional.empty(), Optional.empty(), Map.of(), List.of(new Tag("k", "v")));
    assertThat(registry.tagging.listTagsForResource(groups.arnOf("g")))
        .containsExactly(new Tag("k", "v"));
  }

  @Test
  void updateThingGroup_mergesAttributesCountsVersionsAndChecksExpectedVersion() {
    groups.createThingGroup(
        "g", Optional.empty(), Optional.of("old"), Map.of("a", "1", "b", "2"), List.of());

    long version =
        groups.updateThingGroup(
            "g",
            Optional.empty(),
            Optional.of(new AttributePayload(Map.of("a", "", "c", "3"), true)),
            OptionalLong.of(1));

    assertThat(version).isEqualTo(2);
    ThingGroup updated = groups.describeThingGroup("g");
    assertThat(updated.attributes()).containsOnlyKeys("b", "c");
    assertThat(updated.description()).contains("old");
    assertThatThrownBy(
            () ->
                groups.updateThingGroup(
                    "g", Optional.of("new"), Optional.empty(), OptionalLong.of(1)))
        .isInstanceOf(VersionConflictException.class);
    assertThat(
            groups.updateThingGroup("g", Optional.of(""), Optional.empty(), OptionalLong.empty()))
        .isEqualTo(3);
    assertThat(groups.describeThingGroup("g").description()).isEmpty();
  }

  @Test
  void deleteThingGroup_refusedWithChildren_unknownSucceeds_membersReleased() {
    group("parent", null);
    group("child", "parent");
    thing("t");
    groups.addThingToThingGroup("parent", "t");

    assertThatThrownBy(() -> groups.deleteThingGroup("parent", OptionalLong.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("child groups");
    assertThatThrownBy(() -> groups.deleteThingGroup("child", OptionalLong.of(4)))
        .isInstanceOf(VersionConflictException.class);

    groups.deleteThingGroup("child", OptionalLong.of(1));
    groups.deleteThingGroup("parent", OptionalLong.empty());
    groups.deleteThingGroup("never-was", OptionalLong.empty());

    assertThat(groups.findThingGroup("parent")).isEmpty();
    assertThat(groups.listThingGroupsForThing("t", PageRequest.first(10)).items()).isEmpty();
  }

  @Test
  void listThingGroups_parentRecursionAndPrefix() {
    group("building", null);
    group("floor", "building");
    group("room", "floor");
    group("yard", null);

    assertThat(
            names(
                groups
                    .listThingGroups(
                        Optional.empty(), Optional.empty(), Optional.empty(), PageRequest.first(10))
                    .items()))
        .containsExactly("building", "floor", "room", "yard");
    assertThat(
            names(
                groups
                    .listThingGroups(
                        Optional.empty(),
                        Optional.of(false),
                        Optional.empty(),
                        PageRequest.first(10))
                    .items()))
        .containsExactly("building", "yard");
    assertThat(
            names(
                groups
                    .listThingGroups(
                        Optional.of("building"),
                        Optional.empty(),
                        Optional.empty(),
                        PageRequest.first(10))
                    .items()))
        .containsExactly("floor");
    assertThat(
            names(
                groups
                    .listThingGroups(
                        Optional.of("building"),
                        Optional.of(true),
                        Optional.empty(),
                        PageRequest.first(10))
                    .items()))
        .containsExactly("floor", "room");
    assertThat(
            names(
                groups
                    .listThingGroups(
                        Optional.empty(), Optional.empty(), Optional.of("y"), PageRequest.first(10))
                    .items()))
        .containsExactly("yard");
    assertThatThrownBy(
            () ->
                groups.listThingGroups(
                    Optional.of("nope"), Optional.empty(), Optional.empty(), PageRequest.first(10)))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void listThingsInThingGroup_recursiveIncludesDescendants() {
    group("building", null);
    group("floor", "building");
    thing("lamp");
    thing("fan");
    groups.addThingToThingGroup("building", "fan");
    groups.addThingToThingGroup("floor", "lamp");

    assertThat(groups.listThingsInThingGroup("building", false, PageRequest.first(10)).items())
        .containsExactly("fan");
    assertThat(groups.listThingsInThingGroup("building", true, PageRequest.first(10)).items())
        .containsExactly("fan", "lamp");
  }

  @Test
  void addThingToThingGroup_unknownThingOrGroup_isNotFound_andTenGroupsAtMost() {
    thing("t");
    assertThatThrownBy(() -> groups.addThingToThingGroup("nope", "t"))
        .isInstanceOf(ResourceNotFoundException.class);
    group("g0", null);
    assertThatThrownBy(() -> groups.addThingToThingGroup("g0", "nope"))
        .isInstanceOf(ResourceNotFoundException.class);

    IntStream.range(0, 10)
        .forEach(
            i -> {
              if (i > 0) {
                group("g" + i, null);
              }
              groups.addThingToThingGroup("g" + i, "t");
            });
    groups.addThingToThingGroup("g3", "t");
    group("g10", null);

    assertThatThrownBy(() -> groups.addThingToThingGroup("g10", "t"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at most 10");
  }

  @Test
  void updateThingGroupsForThing_removesThenAdds_allOrNothing() {
    thing("t");
    group("a", null);
    group("b", null);
    groups.addThingToThingGroup("a", "t");

    assertThatThrownBy(
            () -> groups.updateThingGroupsForThing("t", List.of("b", "nope"), List.of("a")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(names(groups.listThingGroupsForThing("t", PageRequest.first(10)).items()))
        .containsExactly("a");

    groups.updateThingGroupsForThing("t", List.of("b"), List.of("a"));

    assertThat(names(groups.listThingGroupsForThing("t", PageRequest.first(10)).items()))
        .containsExactly("b");
  }

  @Test
  void groupsOfThingWithAncestors_includesEveryAncestorOnce() {
    group("building", null);
    group("floor", "building");
    group("room", "floor");
    group("desk", "room");
    group("other", null);
    thing("t");
    groups.addThingToThingGroup("room", "t");
    groups.addThingToThingGroup("floor", "t");

    assertThat(names(groups.groupsOfThingWithAncestors("t")))
        .containsExactly("building", "floor", "room");
    assertThat(groups.groupsOfThingWithAncestors("unknown")).isEmpty();
  }
}
