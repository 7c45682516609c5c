package io.pylon.domain.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.tagging.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThingTypeServiceTest {

  private final Registry registry = new Registry();
  private final ThingTypeService types = registry.thingTypes;

  private static final ThingTypeProperties LAMP =
      new ThingTypeProperties(Optional.of("Lamps"), List.of("serial", "room"), List.of());

  @Test
  void createThingType_storesPropertiesCreationDateAndTags() {
    ThingType type = types.createThingType("lamp", LAMP, List.of(new Tag("team", "ops")));

    assertThat(type.creationDate()).isEqualTo(Registry.START);
    assertThat(type.deprecated()).isFalse();
    assertThat(types.describeThingType("lamp")).isEqualTo(type);
    assertThat(registry.tagging.listTagsForResource(types.arnOf("lamp")))
        .containsExactly(new Tag("team", "ops"));
    assertThat(types.arnOf("lamp")).isEqualTo("arn:aws:iot:us-east-1:123456789012:thingtype/lamp");
  }

  @Test
  void createThingType_identicalAgainReturnsIt_differentIsAlreadyExists() {
    ThingType first = types.createThingType("lamp", LAMP, List.of());

    assertThat(types.createThingType("lamp", LAMP, List.of())).isEqualTo(first);
    assertThatThrownBy(() -> types.createThingType("lamp", ThingTypeProperties.NONE, List.of()))
        .isInstanceOf(ResourceAlreadyExistsException.class);
  }

  @Test
  void createThingType_moreThanThreeSearchableAttributes_isInvalid() {
    ThingTypeProperties four =
        new ThingTypeProperties(Optional.empty(), List.of("a", "b", "c", "d"), List.of());

    assertThatThrownBy(() -> types.createThingType("lamp", four, List.of()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("searchableAttributes");
    assertThat(types.findThingType("lamp")).isEmpty();
  }

  @Test
  void deprecate_setsTheDate_again_keepsIt_undo_clearsIt() {
    types.createThingType("lamp", LAMP, List.of());
    registry.advanceClock(60);

    ThingType deprecated = types.deprecateThingType("lamp", false);
    registry.advanceClock(60);
    ThingType again = types.deprecateThingType("lamp", false);
    ThingType undone = types.deprecateThingType("lamp", true);

    assertThat(deprecated.deprecated()).isTrue();
    assertThat(deprecated.deprecationDate()).contains(Registry.START.plusSeconds(60));
    assertThat(again.deprecationDate()).contains(Registry.START.plusSeconds(60));
    assertThat(undone.deprecated()).isFalse();
    assertThat(undone.deprecationDate()).isEmpty();
    assertThat(undone.creationDate()).isEqualTo(Registry.START);
  }

  @Test
  void deleteThingType_onlyWhenDeprecatedAndUnused() {
    types.createThingType("lamp", LAMP, List.of(new Tag("team", "ops")));
    registry.things.createThing("t", Optional.of("lamp"), Map.of(), Optional.empty());

    assertThatThrownBy(() -> types.deleteThingType("lamp"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("must be deprecated");
    types.deprecateThingType("lamp", false);
    assertThatThrownBy(() -> types.deleteThingType("lamp"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("while things have it");

    registry.things.updateThing(
        "t",
        new ThingUpdate(Optional.empty(), true, Optional.empty(), java.util.OptionalLong.empty()));
    types.deleteThingType("lamp");

    assertThat(types.findThingType("lamp")).isEmpty();
    assertThat(registry.tagStore.tagsOf(types.arnOf("lamp"))).isEmpty();
    assertThatThrownBy(() -> types.deleteThingType("lamp"))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void updateThingType_changesOnlyWhatTheChangeTouches() {
    types.createThingType("lamp", LAMP, List.of());

    types.updateThingType("lamp", p -> p.withDescription(Optional.of("Better lamps")));

    ThingType updated = types.describeThingType("lamp");
    assertThat(updated.properties().description()).contains("Better lamps");
    assertThat(updated.properties().searchableAttributes()).containsExactly("serial", "room");
  }

  @Test
  void listThingTypes_byNamePrefix() {
    types.createThingType("lamp", LAMP, List.of());
    types.createThingType("lamp-2", LAMP, List.of());
    types.createThingType("fan", LAMP, List.of());

    assertThat(types.listThingTypes(Optional.of("lamp"), PageRequest.first(10)).items())
        .extracting(ThingType::name)
        .containsExactly("lamp", "lamp-2");
  }
}
