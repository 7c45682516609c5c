package io.pylon.domain.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.CertificateStateException;
import io.pylon.domain.error.CertificateValidationException;
import io.pylon.domain.error.DeleteConflictException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CertificateServiceTest {

  static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  static final TestPki.Ca PYLON_CA = TestPki.Ca.create("Pylon Test Root");

  private final MemoryCertificateStore certificates = new MemoryCertificateStore();
  private final MemoryCaCertificateStore caCertificates = new MemoryCaCertificateStore();
  private final Recorder events = new Recorder();
  private final FakeAttachments attachments = new FakeAttachments();
  private MutableClock clock;
  private CertificateService service;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    service =
        new CertificateService(
            ACCOUNT,
            certificates,
            caCertificates,
            new TestPki.Issuer(PYLON_CA),
            attachments,
            events,
            clock);
  }

  @Test
  void createKeysAndCertificate_issuesFromOurCaWithAPrivateKeyNotStored() {
    CertificateService.CreatedKeys created = service.createKeysAndCertificate(true);

    Certificate c = created.certificate();
    assertThat(c.id()).matches("[0-9a-f]{64}");
    assertThat(c.arn()).isEqualTo("arn:aws:iot:us-east-1:123456789012:cert/" + c.id());
    assertThat(c.status()).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(c.mode()).isEqualTo(CertificateMode.DEFAULT);
    assertThat(c.caCertificateId()).isEmpty();
    assertThat(c.customerVersion()).isEqualTo(1);
    assertThat(created.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(created.publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(X509Pem.signedBy(X509Pem.certificate("pem", c.pem()), PYLON_CA.certificate()))
        .isTrue();
    assertThat(certificates.find(c.id()).orElseThrow().pem()).doesNotContain("PRIVATE");
    assertThat(events.changed).containsExactly(c.id() + ":ACTIVE");
  }

  @Test
  void createKeysAndCertificate_withoutSetAsActive_isInactive() {
    assertThat(service.createKeysAndCertificate(false).certificate().status())
        .isEqualTo(CertificateStatus.INACTIVE);
  }

  @Test
  void createCertificateFromCsr_issuesForTheCsrKey() {
    var keys = TestPki.rsa();
    Certificate c = service.createCertificateFromCsr(TestPki.csr(keys, "device-1"), false);

    assertThat(X509Pem.certificate("pem", c.pem()).getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(c.status()).isEqualTo(CertificateStatus.INACTIVE);
  }

  @Test
  void createCertificateFromCsr_garbageOrForgedSignature_isInvalidRequest() {
    String csr = TestPki.csr(TestPki.rsa(), "device-1");
    String forged = TestPki.csr(TestPki.rsa(), TestPki.rsa(), "device-1");
    assertThatThrownBy(() -> service.createCertificateFromCsr("not a csr", true))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> service.createCertificateFromCsr(forged, true))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void registerCertificate_signedByRegisteredCa_takesTheCaIdAndMode() {
    TestPki.Ca ca = TestPki.Ca.create("Fleet CA");
    CaCertificate registered = registerCa(ca, CertificateMode.SNI_ONLY);

    Certificate c =
        service.registerCertificate(
            TestPki.pem(ca.issue("d1")), Optional.empty(), Optional.empty(), true);

    assertThat(c.caCertificateId()).contains(registered.id());
    assertThat(c.mode()).isEqualTo(CertificateMode.SNI_ONLY);
    assertThat(c.status()).isEqualTo(CertificateStatus.ACTIVE);
  }

  @Test
  void registerCertificate_statusWinsOverSetAsActive_andDefaultIsInactive() {
    TestPki.Ca ca = TestPki.Ca.create("Fleet CA 2");
    registerCa(ca, CertificateMode.DEFAULT);
    assertThat(
            service
                .registerCertificate(
                    TestPki.pem(ca.issue("a")),
                    Optional.of(ca.pem()),
                    Optional.of(CertificateStatus.REVOKED),
                    true)
                .status())
        .isEqualTo(CertificateStatus.REVOKED);
    assertThat(
            service
                .registerCertificate(
                    TestPki.pem(ca.issue("b")), Optional.empty(), Optional.empty(), false)
                .status())
        .isEqualTo(CertificateStatus.INACTIVE);
  }

  @Test
  void registerCertificate_issuedByOurCa_needsNoRegisteredCa() {
    Certificate c =
        service.registerCertificate(
            TestPki.pem(PYLON_CA.issue("harness-device")),
            Optional.empty(),
            Optional.of(CertificateStatus.ACTIVE),
            false);
    assertThat(c.caCertificateId()).isEmpty();
    assertThat(c.mode()).isEqualTo(CertificateMode.DEFAULT);
  }

  @Test
  void registerCertificate_fromUnregisteredCa_isCertificateValidation() {
    TestPki.Ca stranger = TestPki.Ca.create("Stranger CA");
    assertThatThrownBy(
            () ->
                service.registerCertificate(
                    TestPki.pem(stranger.issue("x")), Optional.empty(), Optional.empty(), true))
        .isInstanceOf(CertificateValidationException.class)
        .hasMessageContaining("not signed by a registered CA");
    assertThatThrownBy(
            () ->
                service.registerCertificate(
                    TestPki.pem(stranger.issue("x")),
                    Optional.of(stranger.pem()),
                    Optional.empty(),
                    true))
        .isInstanceOf(CertificateValidationException.class);
  }

  @Test
  void registerCertificate_garbageOrExpired_isCertificateValidation() {
    assertThatThrownBy(
            () ->
                service.registerCertificate(
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                    Optional.empty(),
                    Optional.empty(),
                    true))
        .isInstanceOf(CertificateValidationException.class);
    assertThatThrownBy(
            () -> service.registerCertificate("hello", Optional.empty(), Optional.empty(), true))
        .isInstanceOf(CertificateValidationException.class);
    assertThatThrownBy(
            () ->
                service.registerCertificate(
                    TestPki.pem(PYLON_CA.issueExpired("old")),
                    Optional.empty(),
                    Optional.empty(),
                    true))
        .isInstanceOf(CertificateValidationException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void registerCertificate_twice_isResourceAlreadyExistsWithIdAndArn() {
    String pem = TestPki.pem(PYLON_CA.issue("twice"));
    Certificate first = service.registerCertificate(pem, Optional.empty(), Optional.empty(), true);

    assertThatThrownBy(
            () -> service.registerCertificate(pem, Optional.empty(), Optional.empty(), true))
        .isInstanceOfSatisfying(
            ResourceAlreadyExistsException.class,
            e -> {
              assertThat(e.resourceId()).contains(first.id());
              assertThat(e.resourceArn()).contains(first.arn());
            });
    assertThatThrownBy(() -> service.registerCertificateWithoutCa(pem, Optional.empty()))
        .isInstanceOf(ResourceAlreadyExistsException.class);
  }

  @Test
  void registerCertificateWithoutCa_isSniOnlyAndListedAsTrustAnchorWhileActive() {
    Certificate c =
        service.registerCertificateWithoutCa(
            TestPki.pem(TestPki.selfSigned("lonely")), Optional.of(CertificateStatus.ACTIVE));

    assertThat(c.mode()).isEqualTo(CertificateMode.SNI_ONLY);
    assertThat(c.withoutCa()).isTrue();
    assertThat(service.activeWithoutCa()).extracting(Certificate::id).containsExactly(c.id());

    service.updateCertificate(c.id(), CertificateStatus.INACTIVE);
    assertThat(service.activeWithoutCa()).isEmpty();
  }

  @Test
  void updateCertificate_changesStatusVersionAndDate_andIsIdempotent() {
    Certificate c = service.createKeysAndCertificate(true).certificate();
    clock.now = clock.now.plusSeconds(60);

    service.updateCertificate(c.id(), CertificateStatus.INACTIVE);
    service.updateCertificate(c.id(), CertificateStatus.INACTIVE);

    Certificate after = service.describeCertificate(c.id());
    assertThat(after.status()).isEqualTo(CertificateStatus.INACTIVE);
    assertThat(after.customerVersion()).isEqualTo(2);
    assertThat(after.lastModifiedDate()).isEqualTo(clock.now);
    assertThat(after.creationDate()).isEqualTo(c.creationDate());
    assertThat(after.generationId()).isNotEqualTo(c.generationId());
    assertThat(events.changed).containsExactly(c.id() + ":ACTIVE", c.id() + ":INACTIVE");
  }

  @Test
  void updateCertificate_revokedStaysRevoked_andInternalStatusesCannotBeSet() {
    Certificate c = service.createKeysAndCertificate(true).certificate();
    service.updateCertificate(c.id(), CertificateStatus.REVOKED);

    assertThatThrownBy(() -> service.updateCertificate(c.id(), CertificateStatus.ACTIVE))
        .isInstanceOf(CertificateStateException.class);
    assertThatThrownBy(() -> service.updateCertificate(c.id(), CertificateStatus.PENDING_TRANSFER))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () -> service.updateCertificate(c.id(), CertificateStatus.PENDING_ACTIVATION))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void unknownOrMalformedIds_areNotFoundOrInvalid() {
    String unknown = "ab".repeat(32);
    assertThatThrownBy(() -> service.describeCertificate(unknown))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> service.updateCertificate(unknown, CertificateStatus.INACTIVE))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> service.describeCertificate("xyz"))
        .isInstanceOf(InvalidRequestException.class);
    Certificate c = service.createKeysAndCertificate(true).certificate();
    assertThat(service.describeCertificate("0x" + c.id().toUpperCase()).id()).isEqualTo(c.id());
  }

  @Test
  void deleteCertificate_refusedWhileActive_thenDeleted() {
    Certificate c = service.createKeysAndCertificate(true).certificate();

    assertThatThrownBy(() -> service.deleteCertificate(c.id(), false))
        .isInstanceOf(CertificateStateException.class);

    service.updateCertificate(c.id(), CertificateStatus.INACTIVE);
    service.deleteCertificate(c.id(), false);

    assertThat(service.find(c.id())).isEmpty();
    assertThat(events.deleted).containsExactly(c.id());
  }

  @Test
  void deleteCertificate_withThingAttached_isDeleteConflictEvenWhenForced() {
    Certificate c = service.createKeysAndCertificate(false).certificate();
    attachments.things.add(c.arn());

    assertThatThrownBy(() -> service.deleteCertificate(c.id(), true))
        .isInstanceOf(DeleteConflictException.class);
    assertThat(service.find(c.id())).isPresent();
  }

  @Test
  void deleteCertificate_withPolicies_needsForceDelete_whichDetachesThem() {
    Certificate c = service.createKeysAndCertificate(false).certificate();
    attachments.policies.add(c.arn());

    assertThatThrownBy(() -> service.deleteCertificate(c.id(), false))
        .isInstanceOf(DeleteConflictException.class);

    service.deleteCertificate(c.id(), true);
    assertThat(attachments.policies).isEmpty();
    assertThat(service.find(c.id())).isEmpty();
  }

  @Test
  void listCertificates_pagesByCreationDateInBothOrders() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clock.now = clock.now.plusSeconds(1);
      created.add(service.createKeysAndCertificate(false).certificate().id());
    }
    List<String> ascending = collect(true);
    List<String> descending = collect(false);

    assertThat(ascending).containsExactlyElementsOf(created);
    List<String> reversed = new ArrayList<>(created);
    java.util.Collections.reverse(reversed);
    assertThat(descending).containsExactlyElementsOf(reversed);
  }

  @Test
  void listCertificates_foreignMarker_isInvalidRequest() {
    assertThatThrownBy(
            () -> service.listCertificates(new PageRequest(2, Optional.of("bm9wZQ==")), true))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void listCertificatesByCa_andIdsByCa_onlyThatCasCertificates() {
    TestPki.Ca ca = TestPki.Ca.create("List CA");
    CaCertificate registered = registerCa(ca, CertificateMode.DEFAULT);
    Certificate mine =
        service.registerCertificate(
            TestPki.pem(ca.issue("m")), Optional.empty(), Optional.empty(), true);
    service.createKeysAndCertificate(true);

    Page<Certificate> page =
        service.listCertificatesByCa(registered.id(), PageRequest.first(10), true);
    assertThat(page.items()).extracting(Certificate::id).containsExactly(mine.id());
    assertThat(service.idsByCa(registered.id())).containsExactly(mine.id());
  }

  private List<String> collect(boolean ascending) {
    List<String> ids = new ArrayList<>();
    PageRequest request = PageRequest.first(2);
    while (true) {
      Page<Certificate> page = service.listCertificates(request, ascending);
      page.items().forEach(c -> ids.add(c.id()));
      if (page.nextToken().isEmpty()) {
        return ids;
      }
      assertThat(page.nextToken().get()).matches("[A-Za-z0-9+/]+={0,2}");
      request = new PageRequest(2, page.nextToken());
    }
  }

  private CaCertificate registerCa(TestPki.Ca ca, CertificateMode mode) {
    CaCertificateService cas =
        new CaCertificateService(ACCOUNT, caCertificates, certificates, events, clock);
    Optional<String> verification = Optional.empty();
    if (mode == CertificateMode.DEFAULT) {
      verification = Optional.of(TestPki.pem(ca.issue(cas.getRegistrationCode())));
    }
    return cas.registerCaCertificate(
        new CaCertificateService.Registration(
            ca.pem(), verification, true, false, RegistrationConfig.NONE, Optional.of(mode)));
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static final class Recorder implements IdentityListener {
    final List<String> changed = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();
    final List<String> caChanged = new ArrayList<>();

    @Override
    public void certificateChanged(Optional<Certificate> previous, Certificate current) {
      changed.add(current.id() + ":" + current.status());
    }

    @Override
    public void certificateDeleted(Certificate deleted) {
      this.deleted.add(deleted.id());
    }

    @Override
    public void caCertificateChanged(Optional<CaCertificate> previous, CaCertificate current) {
      caChanged.add(current.id() + ":" + current.status());
    }
  }

  static final class FakeAttachments implements CertificateAttachments {
    final Set<String> things = new HashSet<>();
    final Set<String> policies = new HashSet<>();

    @Override
    public boolean hasThings(String certificateArn) {
      return things.contains(certificateArn);
    }

    @Override
    public boolean hasPolicies(String certificateArn) {
      return policies.contains(certificateArn);
    }

    @Override
    public void detachPolicies(String certificateArn) {
      policies.remove(certificateArn);
    }
  }
}
