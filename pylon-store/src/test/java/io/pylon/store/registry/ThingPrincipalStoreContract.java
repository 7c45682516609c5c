package io.pylon.store.registry;

import static io.pylon.store.registry.RegistryFixtures.thing;
import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.registry.RegistryStores;
import io.pylon.domain.registry.ThingPrincipal;
import io.pylon.domain.registry.ThingPrincipalStore;
import io.pylon.domain.registry.ThingPrincipalType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ThingPrincipalStore} must do; subclasses supply the stores. */
abstract class ThingPrincipalStoreContract {

  private static final String CERT_A = "arn:aws:iot:us-east-1:123456789012:cert/aaaa";
  private static final String CERT_B = "arn:aws:iot:us-east-1:123456789012:cert/bbbb";

  private RegistryStores stores;
  private ThingPrincipalStore principals;

  protected abstract RegistryStores open();

  @BeforeEach
  void openStores() {
    stores = open();
    principals = stores.thingPrincipals();
    for (String t : List.of("t1", "t2", "t3")) {
      stores.things().insert(thing(t));
    }
  }

  private static ThingPrincipal attachment(String thing, String principal) {
    return new ThingPrincipal(thing, principal, ThingPrincipalType.NON_EXCLUSIVE_THING);
  }

  @Test
  void attach_thenListBothWays() {
    principals.attach(attachment("t2", CERT_A));
    principals.attach(attachment("t1", CERT_A));
    principals.attach(new ThingPrincipal("t1", CERT_B, ThingPrincipalType.EXCLUSIVE_THING));

    assertThat(principals.ofThing("t1", Optional.empty(), PageRequest.first(10)).items())
        .extracting(ThingPrincipal::principal)
        .containsExactly(CERT_A, CERT_B);
    assertThat(principals.ofPrincipal(CERT_A, Optional.empty(), PageRequest.first(10)).items())
        .extracting(ThingPrincipal::thingName)
        .containsExactly("t1", "t2");
    assertThat(
            principals
                .ofThing(
                    "t1", Optional.of(ThingPrincipalType.EXCLUSIVE_THING), PageRequest.first(10))
                .items())
        .containsExactly(new ThingPrincipal("t1", CERT_B, ThingPrincipalType.EXCLUSIVE_THING));
    assertThat(principals.allOfPrincipal(CERT_A))
        .containsExactly(attachment("t1", CERT_A), attachment("t2", CERT_A));
  }

  @Test
  void attach_again_replacesTheType() {
    principals.attach(attachment("t1", CERT_A));
    principals.attach(new ThingPrincipal("t1", CERT_A, ThingPrincipalType.EXCLUSIVE_THING));

    assertThat(principals.allOfPrincipal(CERT_A))
        .containsExactly(new ThingPrincipal("t1", CERT_A, ThingPrincipalType.EXCLUSIVE_THING));
  }

  @Test
  void detach_removesOnlyThatPair() {
    principals.attach(attachment("t1", CERT_A));
    principals.attach(attachment("t2", CERT_A));

    assertThat(principals.detach("t1", CERT_A)).isTrue();
    assertThat(principals.detach("t1", CERT_A)).isFalse();

    assertThat(principals.thingHasPrincipals("t1")).isFalse();
    assertThat(principals.thingHasPrincipals("t2")).isTrue();
  }

  @Test
  void ofPrincipal_pages() {
    for (String t : List.of("t1", "t2", "t3")) {
      principals.attach(attachment(t, CERT_A));
    }

    Page<ThingPrincipal> first =
        principals.ofPrincipal(CERT_A, Optional.empty(), PageRequest.first(2));
    Page<ThingPrincipal> second =
        principals.ofPrincipal(CERT_A, Optional.empty(), new PageRequest(2, first.nextToken()));

    assertThat(first.items()).extracting(ThingPrincipal::thingName).containsExactly("t1", "t2");
    assertThat(second.items()).extracting(ThingPrincipal::thingName).containsExactly("t3");
    assertThat(second.nextToken()).isEmpty();
  }

  @Test
  void deletingTheThing_endsItsAttachments() {
    principals.attach(attachment("t1", CERT_A));
    principals.detach("t1", CERT_A);

    assertThat(stores.things().delete("t1", 1)).isTrue();
    assertThat(principals.allOfPrincipal(CERT_A)).isEmpty();
  }
}
