package io.pylon.store.registry;

import static io.pylon.store.registry.RegistryFixtures.CREATED;
import static io.pylon.store.registry.RegistryFixtures.type;
import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryStores;
import io.pylon.domain.registry.ThingType;
import io.pylon.domain.registry.ThingTypeProperties;
import io.pylon.domain.registry.ThingTypeProperties.PropagatingAttribute;
import io.pylon.domain.registry.ThingTypeStore;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ThingTypeStore} must do; subclasses supply the stores. */
abstract class ThingTypeStoreContract {

  private ThingTypeStore types;

  protected abstract RegistryStores open();

  @BeforeEach
  void openStores() {
    types = open().thingTypes();
  }

  private static ThingType full(String name) {
    return new ThingType(
        name,
        "id-" + name,
        new ThingTypeProperties(
            Optional.of("A lamp type"),
            List.of("zeta", "alpha", "mid"),
            List.of(
                new PropagatingAttribute(
                    Optional.of("k1"), Optional.of("serial"), Optional.empty()),
                new PropagatingAttribute(
                    Optional.of("k0"), Optional.empty(), Optional.of("iot:ClientId")))),
        true,
        Optional.of(CREATED.plusSeconds(60)),
        CREATED);
  }

  @Test
  void insert_thenFind_keepsEveryFieldAndListOrder() {
    ThingType type = full("lamp");

    assertThat(types.insert(type)).isTrue();

    assertThat(types.find("lamp")).contains(type);
  }

  @Test
  void insert_existingName_returnsFalse() {
    types.insert(type("lamp"));

    assertThat(types.insert(full("lamp"))).isFalse();
    assertThat(types.find("lamp")).contains(type("lamp"));
  }

  @Test
  void replace_changesPropertiesAndDeprecation() {
    types.insert(full("lamp"));
    ThingType undeprecated =
        new ThingType(
            "lamp",
            "id-lamp",
            new ThingTypeProperties(Optional.empty(), List.of("one"), List.of()),
            false,
            Optional.empty(),
            CREATED);

    assertThat(types.replace(undeprecated)).isTrue();

    assertThat(types.find("lamp")).contains(undeprecated);
    assertThat(types.replace(type("missing"))).isFalse();
  }

  @Test
  void delete_removesTheTypeAndItsLists() {
    types.insert(full("lamp"));

    assertThat(types.delete("lamp")).isTrue();
    assertThat(types.find("lamp")).isEmpty();
    assertThat(types.delete("lamp")).isFalse();
    assertThat(types.insert(type("lamp"))).isTrue();
    assertThat(types.find("lamp")).contains(type("lamp"));
  }

  @Test
  void list_byPrefix_pagesInNameOrder() {
    for (String name : List.of("lamp-b", "lamp_a", "lamp", "fan", "lampshade")) {
      types.insert(type(name));
    }

    Page<ThingType> first = types.list(Optional.of("lamp"), PageRequest.first(2));
    Page<ThingType> second = types.list(Optional.of("lamp"), new PageRequest(2, first.nextToken()));

    assertThat(first.items()).extracting(ThingType::name).containsExactly("lamp", "lamp-b");
    assertThat(second.items()).extracting(ThingType::name).containsExactly("lamp_a", "lampshade");
    assertThat(second.nextToken()).isEmpty();
    assertThat(types.list(Optional.of("lamp_"), PageRequest.first(10)).items())
        .extracting(ThingType::name)
        .containsExactly("lamp_a");
    assertThat(types.list(Optional.empty(), PageRequest.first(10)).items()).hasSize(5);
  }
}
