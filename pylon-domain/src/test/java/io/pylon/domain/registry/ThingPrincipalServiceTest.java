package io.pylon.domain.registry;

import static io.pylon.domain.registry.Registry.CERT;
import static io.pylon.domain.registry.Registry.OTHER_CERT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceNotFoundException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThingPrincipalServiceTest {

  private final Registry registry = new Registry();
  private final ThingPrincipalService principals = registry.principals;

  @BeforeEach
  void things() {
    for (String name : new String[] {"t1", "t2"}) {
      registry.things.createThing(name, Optional.empty(), Map.of(), Optional.empty());
    }
  }

  @Test
  void attach_thenListBothWaysAndQuery() {
    principals.attachThingPrincipal("t1", CERT, Optional.empty());
    principals.attachThingPrincipal("t2", CERT, Optional.empty());
    principals.attachThingPrincipal("t1", OTHER_CERT, Optional.empty());

    assertThat(
            principals.listThingPrincipals("t1", Optional.empty(), PageRequest.first(10)).items())
        .extracting(ThingPrincipal::principal)
        .containsExactly(CERT, OTHER_CERT);
    assertThat(
            principals.listPrincipalThings(CERT, Optional.empty(), PageRequest.first(10)).items())
        .extracting(ThingPrincipal::thingName)
        .containsExactly("t1", "t2");
    assertThat(principals.thingNamesOf(CERT)).containsExactly("t1", "t2");
    assertThat(principals.isAttached("t2", CERT)).isTrue();
    assertThat(principals.isAttached("t2", OTHER_CERT)).isFalse();
  }

  @Test
  void attach_unknownThingOrPrincipal_isNotFound() {
    assertThatThrownBy(() -> principals.attachThingPrincipal("nope", CERT, Optional.empty()))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                principals.attachThingPrincipal("t1", "arn:aws:iot:x:1:cert/zz", Optional.empty()))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Principal");
    assertThatThrownBy(
            () -> principals.listPrincipalThings("unknown", Optional.empty(), PageRequest.first(5)))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void exclusive_refusedWhileSharedAndBlocksOthers() {
    principals.attachThingPrincipal("t1", CERT, Optional.empty());
    assertThatThrownBy(
            () ->
                principals.attachThingPrincipal(
                    "t2", CERT, Optional.of(ThingPrincipalType.EXCLUSIVE_THING)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("already attached to thing t1");

    principals.attachThingPrincipal(
        "t1", OTHER_CERT, Optional.of(ThingPrincipalType.EXCLUSIVE_THING));

    assertThatThrownBy(() -> principals.attachThingPrincipal("t2", OTHER_CERT, Optional.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("exclusively to thing t1");
    assertThat(
            principals
                .listThingPrincipals(
                    "t1", Optional.of(ThingPrincipalType.EXCLUSIVE_THING), PageRequest.first(5))
                .items())
        .extracting(ThingPrincipal::principal)
        .containsExactly(OTHER_CERT);
  }

  @Test
  void detach_notAttached_isQuiet_unknownThing_isNotFound() {
    principals.detachThingPrincipal("t1", CERT);
    assertThatThrownBy(() -> principals.detachThingPrincipal("nope", CERT))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> principals.detachThingPrincipal("t1", " "))
        .isInstanceOf(InvalidRequestException.class);
  }
}
