package io.pylon.domain.identity;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.CertificateStateException;
import io.pylon.domain.error.CertificateValidationException;
import io.pylon.domain.error.ConflictingResourceUpdateException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.LimitExceededException;
import io.pylon.domain.error.RegistrationCodeValidationException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * CA certificates as AWS IoT manages them: the registration code, registering a CA with proof of
 * possession of its key (a verification certificate it signed whose common name is the code), or
 * without (SNI_ONLY), describing, listing, changing and deleting.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Registration</b> (AWS developer guide, "Register a CA certificate"): DEFAULT mode needs
 *       the verification certificate, signed by the CA's key, with CN = the account's registration
 *       code; SNI_ONLY mode must come without one. At most ten CAs share a subject.
 *   <li><b>Deletion</b> is refused while the CA is ACTIVE and while device certificates registered
 *       with it exist (CertificateStateException).
 *   <li><b>Listeners</b> hear every committed change: TLS trust follows ACTIVE CAs, and devices of
 *       a CA that leaves ACTIVE are disconnected.
 *   <li><b>Threads.</b> Thread-safe, blocking on the stores.
 * </ul>
 */
public final class CaCertificateService {

  /** AWS IoT's quota of CA certificates with the same subject per account. */
  public static final int MAX_PER_SUBJECT = 10;

  private static final int UPDATE_ATTEMPTS = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AwsAccount account;
  private final CaCertificateStore caCertificates;
  private final CertificateStore certificates;
  private final IdentityListener listener;
  private final Clock clock;

  public CaCertificateService(
      AwsAccount account,
      CaCertificateStore caCertificates,
      CertificateStore certificates,
      IdentityListener listener,
      Clock clock) {
    this.account = Objects.requireNonNull(account, "account");
    this.caCertificates = Objects.requireNonNull(caCertificates, "caCertificates");
    this.certificates = Objects.requireNonNull(certificates, "certificates");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** GetRegistrationCode: the account's code, made on first use and kept until deleted. */
  public String getRegistrationCode() {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    return caCertificates.registrationCode(HexFormat.of().formatHex(random));
  }

  /** DeleteRegistrationCode: the next GetRegistrationCode makes a new one. */
  public void deleteRegistrationCode() {
    if (!caCertificates.deleteRegistrationCode()) {
      throw new ResourceNotFoundException("there is no registration code to delete");
    }
  }

  /**
   * The members of RegisterCACertificate.
   *
   * @param caCertificate the CA certificate PEM
   * @param verificationCertificate PEM of a certificate signed by the CA with CN = registration
   *     code; required in DEFAULT mode, forbidden in SNI_ONLY mode
   * @param setAsActive ACTIVE rather than INACTIVE
   * @param allowAutoRegistration autoRegistrationStatus ENABLE rather than DISABLE
   * @param registrationConfig just-in-time provisioning settings
   * @param certificateMode DEFAULT when empty
   */
  public record Registration(
      String caCertificate,
      Optional<String> verificationCertificate,
      boolean setAsActive,
      boolean allowAutoRegistration,
      RegistrationConfig registrationConfig,
      Optional<CertificateMode> certificateMode) {}

  /** RegisterCACertificate. */
  public CaCertificate registerCaCertificate(Registration request) {
    X509Certificate ca = X509Pem.certificate("caCertificate", request.caCertificate());
    X509Pem.checkSignatureAlgorithm("caCertificate", ca);
    if (ca.getBasicConstraints() < 0) {
      throw new CertificateValidationException(
          "caCertificate is not a CA certificate (its basic constraints say CA:FALSE or are"
              + " missing)");
    }
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    if (ca.getNotAfter().toInstant().isBefore(now)) {
      throw new CertificateValidationException(
          "caCertificate expired on " + ca.getNotAfter().toInstant());
    }
    CertificateMode mode = request.certificateMode().orElse(CertificateMode.DEFAULT);
    if (mode == CertificateMode.DEFAULT) {
      verify(ca, request.verificationCertificate());
    } else if (request.verificationCertificate().isPresent()) {
      throw new InvalidRequestException(
          "verificationCertificate must be empty when certificateMode is SNI_ONLY");
    }
    String id = X509Pem.id(ca);
    String arn = account.arn("cacert", id);
    if (caCertificates.find(id).isPresent()) {
      throw new ResourceAlreadyExistsException(
          "the CA certificate is already registered with id " + id, id, arn);
    }
    String subject = X509Pem.subject(ca);
    if (caCertificates.findBySubject(subject).size() >= MAX_PER_SUBJECT) {
      throw new LimitExceededException(
          "there are already "
              + MAX_PER_SUBJECT
              + " CA certificates with subject "
              + subject
              + "; delete one first");
    }
    CaCertificate registered =
        new CaCertificate(
            id,
            arn,
            X509Pem.certificatePem(ca),
            subject,
            request.setAsActive() ? CaCertificateStatus.ACTIVE : CaCertificateStatus.INACTIVE,
            request.allowAutoRegistration()
                ? AutoRegistrationStatus.ENABLE
                : AutoRegistrationStatus.DISABLE,
            account.accountId(),
            now,
            now,
            1,
            CertificateService.newGenerationId(),
            X509Pem.validity(ca),
            mode,
            request.registrationConfig());
    if (!caCertificates.insert(registered)) {
      throw new ResourceAlreadyExistsException(
          "the CA certificate is already registered with id " + id, id, arn);
    }
    listener.caCertificateChanged(Optional.empty(), registered);
    return registered;
  }

  private void verify(X509Certificate ca, Optional<String> verificationPem) {
    if (verificationPem.isEmpty()) {
      throw new InvalidRequestException(
          "verificationCertificate is required when certificateMode is DEFAULT");
    }
    X509Certificate verification =
        X509Pem.certificate("verificationCertificate", verificationPem.get());
    if (!X509Pem.signedBy(verification, ca)) {
      throw new CertificateValidationException(
          "verificationCertificate is not signed by the key of caCertificate");
    }
    Optional<String> code = caCertificates.registrationCode();
    if (code.isEmpty()) {
      throw new RegistrationCodeValidationException(
          "there is no registration code; call GetRegistrationCode and put it in the"
              + " verification certificate's common name");
    }
    Optional<String> commonName = X509Pem.commonName(verification);
    if (commonName.isEmpty() || !commonName.get().equalsIgnoreCase(code.get())) {
      throw new RegistrationCodeValidationException(
          "the verification certificate's common name is not the registration code");
    }
  }

  /** DescribeCACertificate. */
  public CaCertificate describeCaCertificate(String caCertificateId) {
    String id = CertificateIds.normalise("caCertificateId", caCertificateId);
    return caCertificates.find(id).orElseThrow(() -> notFound(id));
  }

  public Optional<CaCertificate> find(String caCertificateId) {
    return caCertificates.find(CertificateIds.normalise("caCertificateId", caCertificateId));
  }

  /** ListCACertificates, by creation date. */
  public Page<CaCertificate> listCaCertificates(PageRequest page, boolean ascending) {
    return caCertificates.list(page, ascending);
  }

  /** The ACTIVE CA certificates, which TLS trusts besides Pylon's own CA. */
  public List<CaCertificate> active() {
    return caCertificates.active();
  }

  /**
   * UpdateCACertificate: any of status, auto-registration and registration config; {@code
   * removeAutoRegistration} clears the registration config.
   */
  public void updateCaCertificate(
      String caCertificateId,
      Optional<CaCertificateStatus> newStatus,
      Optional<AutoRegistrationStatus> newAutoRegistrationStatus,
      Optional<RegistrationConfig> registrationConfig,
      boolean removeAutoRegistration) {
    String id = CertificateIds.normalise("caCertificateId", caCertificateId);
    for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      CaCertificate current = caCertificates.find(id).orElseThrow(() -> notFound(id));
      RegistrationConfig config =
          removeAutoRegistration
              ? RegistrationConfig.NONE
              : registrationConfig.orElse(current.registrationConfig());
      CaCertificate updated =
          current.changed(
              newStatus.orElse(current.status()),
              newAutoRegistrationStatus.orElse(current.autoRegistrationStatus()),
              config,
              clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
              CertificateService.newGenerationId());
      if (caCertificates.update(updated, current.customerVersion())) {
        listener.caCertificateChanged(Optional.of(current), updated);
        return;
      }
    }
    throw new ConflictingResourceUpdateException(
        "CA certificate " + id + " is being changed by another request; try again");
  }

  /** DeleteCACertificate: only INACTIVE CAs with no registered device certificates. */
  public void deleteCaCertificate(String caCertificateId) {
    String id = CertificateIds.normalise("caCertificateId", caCertificateId);
    CaCertificate current = caCertificates.find(id).orElseThrow(() -> notFound(id));
    if (current.status() == CaCertificateStatus.ACTIVE) {
      throw new CertificateStateException(
          "CA certificate " + id + " is ACTIVE; set it INACTIVE before deleting it");
    }
    if (certificates.existsForCa(id)) {
      throw new CertificateStateException(
          "CA certificate "
              + id
              + " still has device certificates registered with it; delete them first");
    }
    if (caCertificates.delete(id)) {
      listener.caCertificateDeleted(current);
    }
  }

  private static ResourceNotFoundException notFound(String id) {
    return new ResourceNotFoundException("CA certificate " + id + " does not exist");
  }
}
