package io.pylon.domain.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.PageRequest;
import io.pylon.domain.error.CertificateStateException;
import io.pylon.domain.error.CertificateValidationException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.LimitExceededException;
import io.pylon.domain.error.RegistrationCodeValidationException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CaCertificateServiceTest {

  private final MemoryCertificateStore certificates = new MemoryCertificateStore();
  private final MemoryCaCertificateStore caCertificates = new MemoryCaCertificateStore();
  private final CertificateServiceTest.Recorder events = new CertificateServiceTest.Recorder();
  private final CertificateServiceTest.MutableClock clock =
      new CertificateServiceTest.MutableClock(Instant.parse("2026-02-01T00:00:00Z"));
  private final CaCertificateService service =
      new CaCertificateService(
          CertificateServiceTest.ACCOUNT, caCertificates, certificates, events, clock);
  private final CertificateService devices =
      new CertificateService(
          CertificateServiceTest.ACCOUNT,
          certificates,
          caCertificates,
          new TestPki.Issuer(CertificateServiceTest.PYLON_CA),
          CertificateAttachments.NONE,
          events,
          clock);

  @Test
  void registrationCode_isStableUntilDeleted() {
    String code = service.getRegistrationCode();

    assertThat(code).matches("[0-9a-f]{64}");
    assertThat(service.getRegistrationCode()).isEqualTo(code);
    service.deleteRegistrationCode();
    assertThat(service.getRegistrationCode()).isNotEqualTo(code);
  }

  @Test
  void deleteRegistrationCode_withoutOne_isNotFound() {
    assertThatThrownBy(service::deleteRegistrationCode)
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void register_withVerificationCertificateCarryingTheCode_isStoredAsAsked() {
    TestPki.Ca ca = TestPki.Ca.create("Registered CA");
    String verification = TestPki.pem(ca.issue(service.getRegistrationCode()));

    CaCertificate registered =
        service.registerCaCertificate(
            new CaCertificateService.Registration(
                ca.pem(),
                Optional.of(verification),
                true,
                true,
                new RegistrationConfig(Optional.of("{}"), Optional.empty(), Optional.empty()),
                Optional.empty()));

    assertThat(registered.id()).isEqualTo(X509Pem.id(ca.certificate()));
    assertThat(registered.arn())
        .isEqualTo("arn:aws:iot:us-east-1:123456789012:cacert/" + registered.id());
    assertThat(registered.status()).isEqualTo(CaCertificateStatus.ACTIVE);
    assertThat(registered.autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.ENABLE);
    assertThat(registered.mode()).isEqualTo(CertificateMode.DEFAULT);
    assertThat(registered.registrationConfig().templateBody()).contains("{}");
    assertThat(service.active()).extracting(CaCertificate::id).containsExactly(registered.id());
    assertThat(events.caChanged).containsExactly(registered.id() + ":ACTIVE");
  }

  @Test
  void register_wrongCommonNameOrNoCode_isRegistrationCodeValidation() {
    TestPki.Ca ca = TestPki.Ca.create("Code CA");
    String wrongCn = TestPki.pem(ca.issue("not-the-code"));

    assertThatThrownBy(() -> service.registerCaCertificate(defaultMode(ca, wrongCn)))
        .isInstanceOf(RegistrationCodeValidationException.class);
    service.getRegistrationCode();
    assertThatThrownBy(() -> service.registerCaCertificate(defaultMode(ca, wrongCn)))
        .isInstanceOf(RegistrationCodeValidationException.class);
  }

  @Test
  void register_verificationSignedByAnotherKey_isCertificateValidation() {
    TestPki.Ca ca = TestPki.Ca.create("Real CA");
    TestPki.Ca impostor = TestPki.Ca.create("Real CA");
    String verification = TestPki.pem(impostor.issue(service.getRegistrationCode()));

    assertThatThrownBy(() -> service.registerCaCertificate(defaultMode(ca, verification)))
        .isInstanceOf(CertificateValidationException.class);
  }

  @Test
  void register_notACa_isCertificateValidation() {
    TestPki.Ca ca = TestPki.Ca.create("Leaf Issuer");
    String leaf = TestPki.pem(ca.issue("leaf"));
    assertThatThrownBy(
            () ->
                service.registerCaCertificate(
                    new CaCertificateService.Registration(
                        leaf,
                        Optional.empty(),
                        true,
                        false,
                        RegistrationConfig.NONE,
                        Optional.of(CertificateMode.SNI_ONLY))))
        .isInstanceOf(CertificateValidationException.class);
  }

  @Test
  void register_modesAndVerificationCertificateMustAgree() {
    TestPki.Ca ca = TestPki.Ca.create("Mode CA");
    assertThatThrownBy(
            () ->
                service.registerCaCertificate(
                    new CaCertificateService.Registration(
                        ca.pem(),
                        Optional.empty(),
                        true,
                        false,
                        RegistrationConfig.NONE,
                        Optional.empty())))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                service.registerCaCertificate(
                    new CaCertificateService.Registration(
                        ca.pem(),
                        Optional.of(TestPki.pem(ca.issue("x"))),
                        true,
                        false,
                        RegistrationConfig.NONE,
                        Optional.of(CertificateMode.SNI_ONLY))))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(service.registerCaCertificate(sniOnly(ca)).mode())
        .isEqualTo(CertificateMode.SNI_ONLY);
    assertThatThrownBy(() -> service.registerCaCertificate(sniOnly(ca)))
        .isInstanceOf(ResourceAlreadyExistsException.class);
  }

  @Test
  void register_eleventhCaWithTheSameSubject_isLimitExceeded() {
    for (int i = 0; i < CaCertificateService.MAX_PER_SUBJECT; i++) {
      service.registerCaCertificate(sniOnly(TestPki.Ca.create("Crowded CA")));
    }
    assertThatThrownBy(
            () -> service.registerCaCertificate(sniOnly(TestPki.Ca.create("Crowded CA"))))
        .isInstanceOf(LimitExceededException.class);
  }

  @Test
  void update_changesStatusAutoRegistrationAndConfig() {
    CaCertificate ca = service.registerCaCertificate(sniOnly(TestPki.Ca.create("Upd CA")));
    RegistrationConfig config =
        new RegistrationConfig(
            Optional.empty(), Optional.of("arn:aws:iam::123456789012:role/r"), Optional.of("tpl"));

    service.updateCaCertificate(
        ca.id(),
        Optional.of(CaCertificateStatus.INACTIVE),
        Optional.of(AutoRegistrationStatus.ENABLE),
        Optional.of(config),
        false);
    CaCertificate after = service.describeCaCertificate(ca.id());
    assertThat(after.status()).isEqualTo(CaCertificateStatus.INACTIVE);
    assertThat(after.autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.ENABLE);
    assertThat(after.registrationConfig()).isEqualTo(config);
    assertThat(after.customerVersion()).isEqualTo(2);
    assertThat(service.active()).isEmpty();

    service.updateCaCertificate(
        ca.id(), Optional.empty(), Optional.empty(), Optional.empty(), true);
    assertThat(service.describeCaCertificate(ca.id()).registrationConfig().isEmpty()).isTrue();
  }

  @Test
  void delete_refusedWhileActiveOrWithCertificates() {
    TestPki.Ca pki = TestPki.Ca.create("Del CA");
    CaCertificate ca = service.registerCaCertificate(sniOnly(pki));
    Certificate device =
        devices.registerCertificate(
            TestPki.pem(pki.issue("d")), Optional.empty(), Optional.empty(), false);

    assertThatThrownBy(() -> service.deleteCaCertificate(ca.id()))
        .isInstanceOf(CertificateStateException.class)
        .hasMessageContaining("ACTIVE");
    service.updateCaCertificate(
        ca.id(),
        Optional.of(CaCertificateStatus.INACTIVE),
        Optional.empty(),
        Optional.empty(),
        false);
    assertThatThrownBy(() -> service.deleteCaCertificate(ca.id()))
        .isInstanceOf(CertificateStateException.class)
        .hasMessageContaining("device certificates");

    devices.deleteCertificate(device.id(), false);
    service.deleteCaCertificate(ca.id());
    assertThat(service.find(ca.id())).isEmpty();
    assertThat(service.listCaCertificates(PageRequest.first(10), true).items()).isEmpty();
  }

  private static CaCertificateService.Registration defaultMode(TestPki.Ca ca, String verification) {
    return new CaCertificateService.Registration(
        ca.pem(),
        Optional.of(verification),
        true,
        false,
        RegistrationConfig.NONE,
        Optional.empty());
  }

  private static CaCertificateService.Registration sniOnly(TestPki.Ca ca) {
    return new CaCertificateService.Registration(
        ca.pem(),
        Optional.empty(),
        true,
        false,
        RegistrationConfig.NONE,
        Optional.of(CertificateMode.SNI_ONLY));
  }
}
