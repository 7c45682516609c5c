package io.pylon.store.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.identity.AutoRegistrationStatus;
import io.pylon.domain.identity.CaCertificate;
import io.pylon.domain.identity.CaCertificateStatus;
import io.pylon.domain.identity.CaCertificateStore;
import io.pylon.domain.identity.CertificateMode;
import io.pylon.domain.identity.RegistrationConfig;
import io.pylon.domain.identity.Validity;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link CaCertificateStore} must do; subclasses supply the store. */
abstract class CaCertificateStoreContract {

  private static final Instant T0 = CertificateStoreContract.T0;

  private CaCertificateStore store;

  protected abstract CaCertificateStore open();

  @BeforeEach
  void openStore() {
    store = open();
  }

  static CaCertificate ca(
      int n, String subject, CaCertificateStatus status, RegistrationConfig config) {
    String id = CertificateStoreContract.id(n);
    return new CaCertificate(
        id,
        "arn:aws:iot:us-east-1:123456789012:cacert/" + id,
        "pem-" + n,
        subject,
        status,
        AutoRegistrationStatus.DISABLE,
        "123456789012",
        T0.plusSeconds(n),
        T0.plusSeconds(n),
        1,
        "gen-" + n,
        new Validity(T0, T0.plusSeconds(1000)),
        CertificateMode.DEFAULT,
        config);
  }

  @Test
  void insert_thenFind_returnsEveryFieldIncludingRegistrationConfig() {
    CaCertificate ca =
        ca(
            1,
            "CN=Fleet",
            CaCertificateStatus.ACTIVE,
            new RegistrationConfig(
                Optional.of("{\"Resources\":{}}"), Optional.of("arn:role"), Optional.empty()));

    assertThat(store.insert(ca)).isTrue();
    assertThat(store.insert(ca)).isFalse();
    assertThat(store.find(ca.id())).contains(ca);
  }

  @Test
  void update_fromExpectedVersion_thenDelete() {
    CaCertificate ca = ca(1, "CN=Fleet", CaCertificateStatus.ACTIVE, RegistrationConfig.NONE);
    store.insert(ca);
    CaCertificate changed =
        new CaCertificate(
            ca.id(),
            ca.arn(),
            ca.pem(),
            ca.subject(),
            CaCertificateStatus.INACTIVE,
            AutoRegistrationStatus.ENABLE,
            ca.ownedBy(),
            ca.creationDate(),
            T0.plusSeconds(99),
            2,
            "gen-x",
            ca.validity(),
            ca.mode(),
            new RegistrationConfig(Optional.empty(), Optional.empty(), Optional.of("tpl")));

    assertThat(store.update(changed, 5)).isFalse();
    assertThat(store.update(changed, 1)).isTrue();
    assertThat(store.find(ca.id())).contains(changed);
    assertThat(store.delete(ca.id())).isTrue();
    assertThat(store.delete(ca.id())).isFalse();
  }

  @Test
  void findBySubject_andActive() {
    store.insert(ca(1, "CN=A", CaCertificateStatus.ACTIVE, RegistrationConfig.NONE));
    store.insert(ca(2, "CN=A", CaCertificateStatus.INACTIVE, RegistrationConfig.NONE));
    store.insert(ca(3, "CN=B", CaCertificateStatus.ACTIVE, RegistrationConfig.NONE));

    assertThat(store.findBySubject("CN=A")).hasSize(2);
    assertThat(store.findBySubject("CN=C")).isEmpty();
    assertThat(store.active())
        .extracting(CaCertificate::id)
        .containsExactly(CertificateStoreContract.id(1), CertificateStoreContract.id(3));
  }

  @Test
  void list_pagesDescendingByDefaultOrder() {
    for (int n = 1; n <= 3; n++) {
      store.insert(ca(n, "CN=L", CaCertificateStatus.ACTIVE, RegistrationConfig.NONE));
    }
    Page<CaCertificate> first = store.list(PageRequest.first(2), false);
    Page<CaCertificate> second = store.list(new PageRequest(2, first.nextToken()), false);

    assertThat(first.items())
        .extracting(CaCertificate::id)
        .containsExactly(CertificateStoreContract.id(3), CertificateStoreContract.id(2));
    assertThat(second.items())
        .extracting(CaCertificate::id)
        .containsExactly(CertificateStoreContract.id(1));
    assertThat(second.nextToken()).isEmpty();
  }

  @Test
  void registrationCode_firstCandidateWinsUntilDeleted() {
    assertThat(store.registrationCode()).isEmpty();
    assertThat(store.registrationCode("a".repeat(64))).isEqualTo("a".repeat(64));
    assertThat(store.registrationCode("b".repeat(64))).isEqualTo("a".repeat(64));
    assertThat(store.deleteRegistrationCode()).isTrue();
    assertThat(store.deleteRegistrationCode()).isFalse();
    assertThat(store.registrationCode("b".repeat(64))).isEqualTo("b".repeat(64));
  }
}
