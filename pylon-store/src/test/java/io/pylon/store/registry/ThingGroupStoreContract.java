package io.pylon.store.registry;

import static io.pylon.store.registry.RegistryFixtures.CREATED;
import static io.pylon.store.registry.RegistryFixtures.child;
import static io.pylon.store.registry.RegistryFixtures.root;
import static io.pylon.store.registry.RegistryFixtures.thing;
import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryStores;
import io.pylon.domain.registry.ThingGroup;
import io.pylon.domain.registry.ThingGroupFilter;
import io.pylon.domain.registry.ThingGroupStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ThingGroupStore} must do; subclasses supply the stores. */
abstract class ThingGroupStoreContract {

  private RegistryStores stores;
  private ThingGroupStore groups;

  protected abstract RegistryStores open();

  @BeforeEach
  void openStores() {
    stores = open();
    groups = stores.thingGroups();
  }

  /** building ⊃ floor ⊃ room ⊃ desk_1; building ⊃ roof; yard. */
  private void hierarchy() {
    ThingGroup building = root("building");
    ThingGroup floor = child(building, "floor");
    ThingGroup room = child(floor, "room");
    for (ThingGroup g :
        List.of(
            building, floor, room, child(room, "desk_1"), child(building, "roof"), root("yard"))) {
      assertThat(groups.insert(g)).isTrue();
    }
  }

  @Test
  void insert_thenFind_keepsAncestorsAttributesAndDates() {
    ThingGroup building = root("building");
    ThingGroup floor =
        new ThingGroup(
            "floor",
            "id-floor",
            List.of("building"),
            Optional.of("Second floor"),
            Map.of("level", "2"),
            1,
            CREATED);
    groups.insert(building);
    groups.insert(floor);

    assertThat(groups.find("floor")).contains(floor);
    assertThat(groups.find("floor").orElseThrow().parentName()).contains("building");
    assertThat(groups.insert(root("floor"))).isFalse();
  }

  @Test
  void replace_checksTheVersion() {
    groups.insert(root("g"));
    ThingGroup v2 =
        new ThingGroup("g", "id-g", List.of(), Optional.of("d"), Map.of("a", "1"), 2, CREATED);

    assertThat(groups.replace(v2, 5)).isFalse();
    assertThat(groups.replace(v2, 1)).isTrue();
    assertThat(groups.find("g")).contains(v2);
  }

  @Test
  void childCount_countsDirectChildrenOnly() {
    hierarchy();

    assertThat(groups.childCount("building")).isEqualTo(2);
    assertThat(groups.childCount("room")).isEqualTo(1);
    assertThat(groups.childCount("desk_1")).isZero();
  }

  @Test
  void list_byParentRecursionAndPrefix() {
    hierarchy();

    assertThat(names(new ThingGroupFilter(Optional.empty(), true, Optional.empty())))
        .containsExactly("building", "desk_1", "floor", "roof", "room", "yard");
    assertThat(names(new ThingGroupFilter(Optional.empty(), false, Optional.empty())))
        .containsExactly("building", "yard");
    assertThat(names(new ThingGroupFilter(Optional.of("building"), false, Optional.empty())))
        .containsExactly("floor", "roof");
    assertThat(names(new ThingGroupFilter(Optional.of("building"), true, Optional.empty())))
        .containsExactly("desk_1", "floor", "roof", "room");
    assertThat(names(new ThingGroupFilter(Optional.of("floor"), true, Optional.of("r"))))
        .containsExactly("room");
  }

  @Test
  void list_pagesWithTokens() {
    hierarchy();
    Page<ThingGroup> first = groups.list(ThingGroupFilter.ALL, PageRequest.first(4));
    Page<ThingGroup> second =
        groups.list(ThingGroupFilter.ALL, new PageRequest(4, first.nextToken()));

    assertThat(first.items())
        .extracting(ThingGroup::name)
        .containsExactly("building", "desk_1", "floor", "roof");
    assertThat(second.items()).extracting(ThingGroup::name).containsExactly("room", "yard");
    assertThat(second.nextToken()).isEmpty();
  }

  @Test
  void members_addRemoveAndGroupsOf() {
    hierarchy();
    stores.things().insert(thing("t1"));

    assertThat(groups.addThing("room", "t1")).isTrue();
    assertThat(groups.addThing("room", "t1")).isFalse();
    assertThat(groups.addThing("yard", "t1")).isTrue();

    assertThat(groups.groupsOf("t1")).containsExactly("room", "yard");
    assertThat(groups.removeThing("yard", "t1")).isTrue();
    assertThat(groups.removeThing("yard", "t1")).isFalse();
    assertThat(groups.groupsOf("t1")).containsExactly("room");
  }

  @Test
  void thingsIn_recursiveCoversTheSubtreeOnceEach() {
    hierarchy();
    for (String t : List.of("t1", "t2", "t3", "t4")) {
      stores.things().insert(thing(t));
    }
    groups.addThing("building", "t3");
    groups.addThing("room", "t1");
    groups.addThing("desk_1", "t1");
    groups.addThing("desk_1", "t2");
    groups.addThing("yard", "t4");

    assertThat(groups.thingsIn("room", false, PageRequest.first(10)).items()).containsExactly("t1");
    assertThat(groups.thingsIn("room", true, PageRequest.first(10)).items())
        .containsExactly("t1", "t2");
    Page<String> first = groups.thingsIn("building", true, PageRequest.first(2));
    assertThat(first.items()).containsExactly("t1", "t2");
    Page<String> second = groups.thingsIn("building", true, new PageRequest(2, first.nextToken()));
    assertThat(second.items()).containsExactly("t3");
    assertThat(second.nextToken()).isEmpty();
  }

  @Test
  void delete_endsMembershipsAndChecksTheVersion() {
    groups.insert(root("g"));
    stores.things().insert(thing("t1"));
    groups.addThing("g", "t1");

    assertThat(groups.delete("g", 2)).isFalse();
    assertThat(groups.delete("g", 1)).isTrue();

    assertThat(groups.find("g")).isEmpty();
    assertThat(groups.groupsOf("t1")).isEmpty();
  }

  @Test
  void removeThingEverywhere_endsAllMembershipsOfThatThing() {
    hierarchy();
    stores.things().insert(thing("t1"));
    stores.things().insert(thing("t2"));
    groups.addThing("room", "t1");
    groups.addThing("yard", "t1");
    groups.addThing("yard", "t2");

    groups.removeThingEverywhere("t1");

    assertThat(groups.groupsOf("t1")).isEmpty();
    assertThat(groups.groupsOf("t2")).containsExactly("yard");
  }

  private List<String> names(ThingGroupFilter filter) {
    return groups.list(filter, PageRequest.first(50)).items().stream()
        .map(ThingGroup::name)
        .toList();
  }
}
