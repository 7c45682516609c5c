package io.pylon.store.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.identity.Certificate;
import io.pylon.domain.identity.CertificateMode;
import io.pylon.domain.identity.CertificateStatus;
import io.pylon.domain.identity.CertificateStore;
import io.pylon.domain.identity.Validity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link CertificateStore} must do; subclasses supply the store. */
abstract class CertificateStoreContract {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

  private CertificateStore store;

  protected abstract CertificateStore open();

  @BeforeEach
  void openStore() {
    store = open();
  }

  static String id(int n) {
    return String.format("%064x", n);
  }

  static Certificate certificate(
      int n, Instant created, Optional<String> ca, CertificateMode mode) {
    return new Certificate(
        id(n),
        "arn:aws:iot:us-east-1:123456789012:cert/" + id(n),
        "-----BEGIN CERTIFICATE-----\nMII" + n + "\n-----END CERTIFICATE-----\n",
        CertificateStatus.ACTIVE,
        ca,
        "123456789012",
        created,
        created,
        1,
        "gen-" + n,
        new Validity(T0.minusSeconds(3600), T0.plusSeconds(86400)),
        mode);
  }

  static Certificate certificate(int n) {
    return certificate(n, T0.plusSeconds(n), Optional.empty(), CertificateMode.DEFAULT);
  }

  @Test
  void insert_thenFind_returnsEveryField() {
    Certificate c = certificate(1, T0, Optional.of(id(99)), CertificateMode.SNI_ONLY);

    assertThat(store.insert(c)).isTrue();

    assertThat(store.find(c.id())).contains(c);
    assertThat(store.find(id(2))).isEmpty();
  }

  @Test
  void insert_existingId_isFalseAndChangesNothing() {
    Certificate c = certificate(1);
    store.insert(c);
    Certificate other =
        new Certificate(
            c.id(),
            c.arn(),
            "other",
            CertificateStatus.REVOKED,
            Optional.empty(),
            c.ownedBy(),
            c.creationDate(),
            c.lastModifiedDate(),
            1,
            "x",
            c.validity(),
            c.mode());

    assertThat(store.insert(other)).isFalse();
    assertThat(store.find(c.id())).contains(c);
  }

  @Test
  void update_onlyFromTheExpectedVersion() {
    Certificate c = certificate(1);
    store.insert(c);
    Certificate inactive =
        new Certificate(
            c.id(),
            c.arn(),
            c.pem(),
            CertificateStatus.INACTIVE,
            c.caCertificateId(),
            c.ownedBy(),
            c.creationDate(),
            T0.plusSeconds(500),
            2,
            "gen-2",
            c.validity(),
            c.mode());

    assertThat(store.update(inactive, 2)).isFalse();
    assertThat(store.update(inactive, 1)).isTrue();
    assertThat(store.update(inactive, 1)).isFalse();
    assertThat(store.find(c.id())).contains(inactive);
  }

  @Test
  void delete_removesOnce() {
    store.insert(certificate(1));

    assertThat(store.delete(id(1))).isTrue();
    assertThat(store.delete(id(1))).isFalse();
    assertThat(store.find(id(1))).isEmpty();
  }

  @Test
  void list_pagesInCreationOrderBothWays_withTiesBrokenById() {
    List<String> expected = new ArrayList<>();
    for (int n = 1; n <= 7; n++) {
      // Pairs share a creation time, so the id decides within them.
      store.insert(
          certificate(n, T0.plusSeconds(n / 2), Optional.empty(), CertificateMode.DEFAULT));
      expected.add(id(n));
    }
    assertThat(collect(true, null)).containsExactlyElementsOf(expected);
    List<String> reversed = new ArrayList<>(expected);
    java.util.Collections.reverse(reversed);
    assertThat(collect(false, null)).containsExactlyElementsOf(reversed);
  }

  @Test
  void list_lastPageHasNoMarker() {
    store.insert(certificate(1));
    store.insert(certificate(2));

    Page<Certificate> page = store.list(PageRequest.first(2), true);

    assertThat(page.items()).hasSize(2);
    assertThat(page.nextToken()).isEmpty();
  }

  @Test
  void list_markerNotMadeByUs_isInvalidRequest() {
    assertThatThrownBy(() -> store.list(new PageRequest(5, Optional.of("Z2FyYmFnZQ==")), true))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void listByCa_andExistsForCa_seeOnlyThatCa() {
    store.insert(certificate(1, T0, Optional.of(id(50)), CertificateMode.DEFAULT));
    store.insert(certificate(2, T0.plusSeconds(1), Optional.of(id(51)), CertificateMode.DEFAULT));
    store.insert(certificate(3, T0.plusSeconds(2), Optional.of(id(50)), CertificateMode.DEFAULT));

    assertThat(collect(true, id(50))).containsExactly(id(1), id(3));
    assertThat(store.existsForCa(id(50))).isTrue();
    assertThat(store.existsForCa(id(52))).isFalse();
  }

  @Test
  void activeWithoutCa_onlyActiveSniOnlyCertificatesWithoutCa() {
    store.insert(certificate(1, T0, Optional.empty(), CertificateMode.SNI_ONLY));
    store.insert(certificate(2, T0, Optional.of(id(50)), CertificateMode.SNI_ONLY));
    store.insert(certificate(3, T0, Optional.empty(), CertificateMode.DEFAULT));
    Certificate inactive = certificate(4, T0, Optional.empty(), CertificateMode.SNI_ONLY);
    store.insert(
        new Certificate(
            inactive.id(),
            inactive.arn(),
            inactive.pem(),
            CertificateStatus.INACTIVE,
            Optional.empty(),
            inactive.ownedBy(),
            T0,
            T0,
            1,
            "g",
            inactive.validity(),
            CertificateMode.SNI_ONLY));

    assertThat(store.activeWithoutCa()).extracting(Certificate::id).containsExactly(id(1));
  }

  private List<String> collect(boolean ascending, String ca) {
    List<String> ids = new ArrayList<>();
    PageRequest request = PageRequest.first(2);
    while (true) {
      Page<Certificate> page =
          ca == null ? store.list(request, ascending) : store.listByCa(ca, request, ascending);
      page.items().forEach(c -> ids.add(c.id()));
      if (page.nextToken().isEmpty()) {
        return ids;
      }
      request = new PageRequest(2, page.nextToken());
    }
  }
}
