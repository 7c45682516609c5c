package io.pylon.domain.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.error.VersionConflictException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ThingServiceTest {

  private final Registry registry = new Registry();
  private final ThingService things = registry.things;

  private Thing create(String name, Map<String, String> attributes) {
    return things.createThing(name, Optional.empty(), attributes, Optional.empty());
  }

  private static ThingUpdate attributes(Map<String, String> attributes, boolean merge) {
    return new ThingUpdate(
        Optional.empty(),
        false,
        Optional.of(new AttributePayload(attributes, merge)),
        OptionalLong.empty());
  }

  @Test
  void createThing_assignsUuidVersionOneAndArn() {
    Thing thing = create("lamp-1", Map.of("color", "red"));

    assertThat(UUID.fromString(thing.id())).isNotNull();
    assertThat(thing.version()).isEqualTo(1);
    assertThat(things.arnOf("lamp-1")).isEqualTo("arn:aws:iot:us-east-1:123456789012:thing/lamp-1");
    assertThat(things.describeThing("lamp-1")).isEqualTo(thing);
  }

  @Test
  void createThing_identicalAgain_returnsTheExistingThing() {
    Thing first = create("lamp-1", Map.of("color", "red"));

    Thing again = create("lamp-1", Map.of("color", "red"));

    assertThat(again).isEqualTo(first);
  }

  @Test
  void createThing_sameNameDifferentConfiguration_isResourceAlreadyExists() {
    create("lamp-1", Map.of("color", "red"));

    assertThatThrownBy(() -> create("lamp-1", Map.of("color", "blue")))
        .isInstanceOf(ResourceAlreadyExistsException.class)
        .satisfies(
            e ->
                assertThat(((ResourceAlreadyExistsException) e).resourceArn())
                    .contains(things.arnOf("lamp-1")));
  }

  @Test
  void createThing_invalidNameOrAttribute_isInvalidRequest() {
    assertThatThrownBy(() -> create("has space", Map.of()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("thingName");
    assertThatThrownBy(() -> create("x".repeat(129), Map.of()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("128");
    assertThatThrownBy(() -> create("t", Map.of("bad name", "v")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> create("t", Map.of("a", "v!")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("value of attribute a");
  }

  @Test
  void createThing_attributeQuota_threeWithoutTypeFiftyWithOne() {
    Map<String, String> four = Map.of("a", "1", "b", "2", "c", "3", "d", "4");
    assertThatThrownBy(() -> create("t", four))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at most 3");

    registry.thingTypes.createThingType("lamp", ThingTypeProperties.NONE, List.of());
    Thing typed = things.createThing("t", Optional.of("lamp"), four, Optional.empty());

    assertThat(typed.attributes()).hasSize(4);
  }

  @Test
  void createThing_unknownTypeOrBillingGroup_isNotFound_deprecatedTypeIsInvalid() {
    assertThatThrownBy(
            () -> things.createThing("t", Optional.of("nope"), Map.of(), Optional.empty()))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () -> things.createThing("t", Optional.empty(), Map.of(), Optional.of("billing")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Billing group billing");

    registry.thingTypes.createThingType("old", ThingTypeProperties.NONE, List.of());
    registry.thingTypes.deprecateThingType("old", false);

    assertThatThrownBy(
            () -> things.createThing("t", Optional.of("old"), Map.of(), Optional.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("deprecated");
    assertThat(things.findThing("t")).isEmpty();
  }

  @Test
  void updateThing_merge_addsChangesAndRemovesWithEmptyValue() {
    create("t", Map.of("keep", "1", "change", "2", "drop", "3"));

    Thing updated =
        things.updateThing("t", attributes(Map.of("change", "20", "drop", "", "new", "4"), true));

    assertThat(updated.attributes())
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(Map.of("change", "20", "keep", "1", "new", "4")));
    assertThat(updated.version()).isEqualTo(2);
  }

  @Test
  void updateThing_withoutMerge_replacesAllAttributes() {
    create("t", Map.of("a", "1", "b", "2"));

    Thing updated = things.updateThing("t", attributes(Map.of("c", "3"), false));

    assertThat(updated.attributes()).containsOnlyKeys("c");
  }

  @Test
  void updateThing_withoutPayload_keepsAttributesAndStillCountsAVersion() {
    create("t", Map.of("a", "1"));

    Thing updated =
        things.updateThing(
            "t", new ThingUpdate(Optional.empty(), false, Optional.empty(), OptionalLong.empty()));

    assertThat(updated.attributes()).containsEntry("a", "1");
    assertThat(updated.version()).isEqualTo(2);
  }

  @Test
  void updateThing_expectedVersion_mustMatch() {
    create("t", Map.of());
    ThingUpdate atVersion1 =
        new ThingUpdate(
            Optional.empty(),
            false,
            Optional.of(new AttributePayload(Map.of("a", "1"), true)),
            OptionalLong.of(1));

    assertThat(things.updateThing("t", atVersion1).version()).isEqualTo(2);
    assertThatThrownBy(() -> things.updateThing("t", atVersion1))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("is 2, not the expected 1");
    assertThat(things.describeThing("t").version()).isEqualTo(2);
  }

  @Test
  void updateThing_typeRules() {
    registry.thingTypes.createThingType("lamp", ThingTypeProperties.NONE, List.of());
    registry.thingTypes.createThingType("old", ThingTypeProperties.NONE, List.of());
    things.createThing(
        "t", Optional.of("lamp"), Map.of("a", "1", "b", "2", "c", "3", "d", "4"), Optional.empty());
    registry.thingTypes.deprecateThingType("old", false);

    assertThatThrownBy(
            () ->
                things.updateThing(
                    "t",
                    new ThingUpdate(
                        Optional.of("old"), false, Optional.empty(), OptionalLong.empty())))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("deprecated");
    assertThatThrownBy(
            () ->
                things.updateThing(
                    "t",
                    new ThingUpdate(
                        Optional.of("lamp"), true, Optional.empty(), OptionalLong.empty())))
        .isInstanceOf(InvalidRequestException.class);
    // Without a type only three attributes are allowed.
    assertThatThrownBy(
            () ->
                things.updateThing(
                    "t",
                    new ThingUpdate(
                        Optional.empty(), true, Optional.empty(), OptionalLong.empty())))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at most 3");

    Thing untyped =
        things.updateThing(
            "t",
            new ThingUpdate(
                Optional.empty(),
                true,
                Optional.of(new AttributePayload(Map.of("d", ""), true)),
                OptionalLong.empty()));
    assertThat(untyped.thingTypeName()).isEmpty();
  }

  @Test
  void updateThing_keepingItsNowDeprecatedType_isAllowed() {
    registry.thingTypes.createThingType("lamp", ThingTypeProperties.NONE, List.of());
    things.createThing("t", Optional.of("lamp"), Map.of(), Optional.empty());
    registry.thingTypes.deprecateThingType("lamp", false);

    Thing updated =
        things.updateThing(
            "t",
            new ThingUpdate(
                Optional.of("lamp"),
                false,
                Optional.of(new AttributePayload(Map.of("a", "1"), true)),
                OptionalLong.empty()));

    assertThat(updated.thingTypeName()).contains("lamp");
  }

  @Test
  void updateThing_unknown_isNotFound() {
    assertThatThrownBy(() -> things.updateThing("nope", attributes(Map.of(), true)))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessage("Thing nope cannot be found.");
  }

  @Test
  void deleteThing_unknown_succeeds() {
    things.deleteThing("nope", OptionalLong.of(3));

    assertThat(things.findThing("nope")).isEmpty();
  }

  @Test
  void deleteThing_versionConflictAndAttachedPrincipals_refuse() {
    create("t", Map.of());
    registry.principals.attachThingPrincipal("t", Registry.CERT, Optional.empty());

    assertThatThrownBy(() -> things.deleteThing("t", OptionalLong.of(7)))
        .isInstanceOf(VersionConflictException.class);
    assertThatThrownBy(() -> things.deleteThing("t", OptionalLong.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Cannot delete. Thing t is still attached to one or more principals");

    registry.principals.detachThingPrincipal("t", Registry.CERT);
    things.deleteThing("t", OptionalLong.of(1));
    assertThat(things.findThing("t")).isEmpty();
  }

  @Test
  void deleteThing_endsGroupMemberships() {
    create("t", Map.of());
    registry.groups.createThingGroup("g", Optional.empty(), Optional.empty(), Map.of(), List.of());
    registry.groups.addThingToThingGroup("g", "t");

    things.deleteThing("t", OptionalLong.empty());
    create("t", Map.of());

    assertThat(registry.groups.listThingsInThingGroup("g", false, PageRequest.first(10)).items())
        .isEmpty();
  }

  @Test
  void listThings_filtersAndRejectsAValueWithoutName() {
    create("a", Map.of("color", "red"));
    create("b", Map.of("color", "redder"));
    create("c", Map.of());

    assertThat(
            things
                .listThings(
                    new ThingFilter(
                        Optional.of("color"), Optional.of("red"), true, Optional.empty()),
                    PageRequest.first(10))
                .items())
        .extracting(Thing::name)
        .containsExactly("a", "b");
    assertThatThrownBy(
            () ->
                things.listThings(
                    new ThingFilter(Optional.empty(), Optional.of("red"), false, Optional.empty()),
                    PageRequest.first(10)))
        .isInstanceOf(InvalidRequestException.class);
  }
}
