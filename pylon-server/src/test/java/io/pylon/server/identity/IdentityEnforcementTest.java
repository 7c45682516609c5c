package io.pylon.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.identity.CaCertificate;
import io.pylon.domain.identity.CaCertificateService;
import io.pylon.domain.identity.CaCertificateStatus;
import io.pylon.domain.identity.Certificate;
import io.pylon.domain.identity.CertificateAttachments;
import io.pylon.domain.identity.CertificateMode;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.identity.CertificateStatus;
import io.pylon.domain.identity.IdentityListeners;
import io.pylon.domain.identity.MemoryCaCertificateStore;
import io.pylon.domain.identity.MemoryCertificateStore;
import io.pylon.domain.identity.RegistrationConfig;
import io.pylon.server.pki.CertificateAuthority;
import io.pylon.server.pki.Pem;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The trust anchors and the registration check that TLS and CONNECT use. */
class IdentityEnforcementTest {

  private static final Duration DAY = Duration.ofDays(1);

  private final CertificateAuthority root = CertificateAuthority.createRoot("Test Root", DAY);
  private final MemoryCertificateStore certificateStore = new MemoryCertificateStore();
  private final MemoryCaCertificateStore caStore = new MemoryCaCertificateStore();
  private final IdentityListeners listeners = new IdentityListeners();
  private final AwsAccount account = new AwsAccount("123456789012", "us-east-1");
  private final CertificateService certificates =
      new CertificateService(
          account,
          certificateStore,
          caStore,
          new RootCaIssuer(root),
          CertificateAttachments.NONE,
          listeners,
          Clock.systemUTC());
  private final CaCertificateService cas =
      new CaCertificateService(account, caStore, certificateStore, listeners, Clock.systemUTC());
  private final RegisteredTrust trust = new RegisteredTrust(certificates, cas);
  private final DeviceCertificateCheck check = new DeviceCertificateCheck(certificates, cas);

  {
    listeners.add(trust);
  }

  @Test
  void rootCaIssuer_issuesAwsStyleCertificatesUntil2049() {
    Certificate created = certificates.createKeysAndCertificate(true).certificate();
    X509Certificate x509 = Pem.parseCertificate(created.pem());

    assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=AWS IoT Certificate");
    assertThat(x509.getNotAfter().toInstant().toString()).startsWith("2049-12-31T23:59:59");
    assertThat(root.issued(x509)).isTrue();
  }

  @Test
  void check_refusesUnregisteredAndInactive_acceptsActive() throws Exception {
    X509Certificate device = root.issueClientCertificate("d", DAY).certificate();
    assertThat(check.refusal(device)).get().asString().contains("not registered");
    assertThatThrownBy(() -> check.check(new X509Certificate[] {device}))
        .isInstanceOf(CertificateException.class);

    Certificate registered =
        certificates.registerCertificate(
            Pem.certificate(device),
            Optional.empty(),
            Optional.of(CertificateStatus.INACTIVE),
            false);
    assertThat(check.refusal(device)).get().asString().contains("INACTIVE");

    certificates.updateCertificate(registered.id(), CertificateStatus.ACTIVE);
    assertThat(check.refusal(device)).isEmpty();
    check.check(new X509Certificate[] {device});
  }

  @Test
  void check_refusesCertificatesOfAnInactiveCa() {
    CertificateAuthority fleet = CertificateAuthority.createRoot("Fleet", DAY);
    CaCertificate ca = registerCa(fleet);
    X509Certificate device = fleet.issueClientCertificate("f", DAY).certificate();
    certificates.registerCertificate(
        Pem.certificate(device), Optional.empty(), Optional.of(CertificateStatus.ACTIVE), false);
    assertThat(check.refusal(device)).isEmpty();

    cas.updateCaCertificate(
        ca.id(),
        Optional.of(CaCertificateStatus.INACTIVE),
        Optional.empty(),
        Optional.empty(),
        false);

    assertThat(check.refusal(device)).get().asString().contains("is not ACTIVE");
  }

  @Test
  void trust_listsActiveCasAndCaLessCertificates_sameListUntilAChange() {
    List<X509Certificate> empty = trust.trustedCertificates();
    assertThat(empty).isEmpty();
    assertThat(trust.trustedCertificates()).isSameAs(empty);

    CertificateAuthority fleet = CertificateAuthority.createRoot("Fleet 2", DAY);
    CaCertificate ca = registerCa(fleet);
    X509Certificate lonely = CertificateAuthority.createRoot("Lonely", DAY).certificate();
    certificates.registerCertificateWithoutCa(
        Pem.certificate(lonely), Optional.of(CertificateStatus.ACTIVE));

    List<X509Certificate> anchors = trust.trustedCertificates();
    assertThat(anchors).containsExactlyInAnyOrder(fleet.certificate(), lonely);
    assertThat(trust.trustedCertificates()).isSameAs(anchors);

    cas.updateCaCertificate(
        ca.id(),
        Optional.of(CaCertificateStatus.INACTIVE),
        Optional.empty(),
        Optional.empty(),
        false);
    assertThat(trust.trustedCertificates()).containsExactly(lonely);
  }

  private CaCertificate registerCa(CertificateAuthority ca) {
    return cas.registerCaCertificate(
        new CaCertificateService.Registration(
            ca.certificatePem(),
            Optional.of(
                Pem.certificate(
                    ca.issueClientCertificate(cas.getRegistrationCode(), DAY).certificate())),
            true,
            false,
            RegistrationConfig.NONE,
            Optional.of(CertificateMode.DEFAULT)));
  }
}
