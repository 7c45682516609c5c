package io.pylon.store.registry;

import static io.pylon.store.registry.RegistryFixtures.thing;
import static io.pylon.store.registry.RegistryFixtures.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.registry.RegistryPageToken;
import io.pylon.domain.registry.RegistryStores;
import io.pylon.domain.registry.Thing;
import io.pylon.domain.registry.ThingFilter;
import io.pylon.domain.registry.ThingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ThingStore} must do; subclasses supply the stores. */
abstract class ThingStoreContract {

  protected RegistryStores stores;
  private ThingStore things;

  /** Fresh, empty stores for one test. */
  protected abstract RegistryStores open();

  @BeforeEach
  void openStores() {
    stores = open();
    things = stores.things();
  }

  @Test
  void insert_thenFind_returnsEveryField() {
    stores.thingTypes().insert(type("lamp"));
    Thing thing = thing("t1", "lamp", Map.of("b", "2", "a", "1"));

    assertThat(things.insert(thing)).isTrue();

    assertThat(things.find("t1")).contains(thing);
    assertThat(things.find("t1").orElseThrow().attributes().keySet()).containsExactly("a", "b");
  }

  @Test
  void insert_existingName_returnsFalseAndKeepsTheFirst() {
    things.insert(thing("t1"));

    assertThat(things.insert(thing("t1", null, Map.of("a", "1")))).isFalse();
    assertThat(things.find("t1")).contains(thing("t1"));
  }

  @Test
  void find_unknown_isEmpty() {
    assertThat(things.find("nope")).isEmpty();
  }

  @Test
  void replace_matchingVersion_replacesAttributesAndVersion() {
    things.insert(thing("t1", null, Map.of("a", "1", "b", "2")));
    Thing updated = new Thing("t1", "id-t1", Optional.empty(), Map.of("c", "3"), 2);

    assertThat(things.replace(updated, 1)).isTrue();

    assertThat(things.find("t1")).contains(updated);
  }

  @Test
  void replace_staleVersion_returnsFalseAndChangesNothing() {
    things.insert(thing("t1"));
    Thing updated = new Thing("t1", "id-t1", Optional.empty(), Map.of("c", "3"), 3);

    assertThat(things.replace(updated, 2)).isFalse();
    assertThat(things.replace(new Thing("t9", "x", Optional.empty(), Map.of(), 2), 1)).isFalse();

    assertThat(things.find("t1")).contains(thing("t1"));
  }

  @Test
  void delete_checksTheVersion() {
    things.insert(thing("t1"));

    assertThat(things.delete("t1", 2)).isFalse();
    assertThat(things.find("t1")).isPresent();
    assertThat(things.delete("t1", 1)).isTrue();
    assertThat(things.find("t1")).isEmpty();
    assertThat(things.delete("t1", 1)).isFalse();
  }

  @Test
  void list_pagesInNameOrder_withTokensUntilTheLastPage() {
    List<String> names = List.of("b-2", "a_1", "A", "c:3", "a-1", "z", "Z9", "m");
    names.forEach(n -> things.insert(thing(n)));

    List<String> listed = new ArrayList<>();
    PageRequest request = PageRequest.first(3);
    int pages = 0;
    while (true) {
      Page<Thing> page = things.list(ThingFilter.ALL, request);
      pages++;
      assertThat(page.items()).hasSizeLessThanOrEqualTo(3);
      page.items().forEach(t -> listed.add(t.name()));
      if (page.nextToken().isEmpty()) {
        break;
      }
      request = new PageRequest(3, page.nextToken());
    }

    assertThat(listed).isEqualTo(names.stream().sorted().toList());
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void list_exactlyOnePageFull_hasNoToken() {
    things.insert(thing("a"));
    things.insert(thing("b"));

    assertThat(things.list(ThingFilter.ALL, PageRequest.first(2)).nextToken()).isEmpty();
  }

  @Test
  void list_filtersByAttributeValuePrefixAndType() {
    stores.thingTypes().insert(type("lamp"));
    things.insert(thing("t1", "lamp", Map.of("color", "red")));
    things.insert(thing("t2", null, Map.of("color", "red_ish")));
    things.insert(thing("t3", null, Map.of("color", "rxd")));
    things.insert(thing("t4", null, Map.of("size", "red")));

    assertThat(
            names(
                new ThingFilter(Optional.of("color"), Optional.of("red"), false, Optional.empty())))
        .containsExactly("t1");
    assertThat(
            names(
                new ThingFilter(Optional.of("color"), Optional.of("red"), true, Optional.empty())))
        .containsExactly("t1", "t2");
    // '_' is a LIKE wildcard; a prefix must match it literally.
    assertThat(
            names(new ThingFilter(Optional.of("color"), Optional.of("r_"), true, Optional.empty())))
        .isEmpty();
    assertThat(
            names(new ThingFilter(Optional.of("color"), Optional.empty(), false, Optional.empty())))
        .containsExactly("t1", "t2", "t3");
    assertThat(
            names(new ThingFilter(Optional.empty(), Optional.empty(), false, Optional.of("lamp"))))
        .containsExactly("t1");
  }

  @Test
  void list_tokenOfAnotherList_isInvalidRequest() {
    things.insert(thing("a"));
    String foreign = RegistryPageToken.encode("thing-groups", "a");

    assertThatThrownBy(() -> things.list(ThingFilter.ALL, new PageRequest(5, Optional.of(foreign))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () -> things.list(ThingFilter.ALL, new PageRequest(5, Optional.of("!!garbage"))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void anyOfType_seesThingsOfTheType() {
    stores.thingTypes().insert(type("lamp"));
    assertThat(things.anyOfType("lamp")).isFalse();

    things.insert(thing("t1", "lamp", Map.of()));

    assertThat(things.anyOfType("lamp")).isTrue();
  }

  private List<String> names(ThingFilter filter) {
    return things.list(filter, PageRequest.first(50)).items().stream().map(Thing::name).toList();
  }
}
