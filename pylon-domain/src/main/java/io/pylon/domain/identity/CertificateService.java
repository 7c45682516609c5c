package io.pylon.domain.identity;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.CertificateStateException;
import io.pylon.domain.error.CertificateValidationException;
import io.pylon.domain.error.ConflictingResourceUpdateException;
import io.pylon.domain.error.DeleteConflictException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Device certificates as AWS IoT manages them: issued by Pylon's CA (CreateKeysAndCertificate,
 * CreateCertificateFromCsr), registered when signed by a registered CA (RegisterCertificate) or
 * without one (RegisterCertificateWithoutCA), described, listed, changed in status and deleted.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Status rules</b> (AWS API reference, UpdateCertificate and DeleteCertificate): setting
 *       the same status again is a no-op; PENDING_TRANSFER and PENDING_ACTIVATION cannot be set; a
 *       REVOKED certificate stays revoked and a PENDING_TRANSFER one cannot change until the
 *       transfer ends (CertificateStateException). Deleting needs a status other than ACTIVE and
 *       PENDING_TRANSFER, no attached thing, and no attached policy unless {@code forceDelete}.
 *   <li><b>Pylon's CA</b> stands in for Amazon's: certificates it signed may be registered without
 *       registering it, in DEFAULT mode with no caCertificateId, as CreateKeysAndCertificate's are.
 *   <li><b>Changes</b> are optimistic on customerVersion; each committed change is reported to the
 *       {@link IdentityListener}, which closes connections of certificates leaving ACTIVE.
 *   <li><b>Threads.</b> Thread-safe; every call blocks on the stores, so never call it from a
 *       network event loop.
 * </ul>
 */
public final class CertificateService {

  private static final int UPDATE_ATTEMPTS = 5;

  private final AwsAccount account;
  private final CertificateStore certificates;
  private final CaCertificateStore caCertificates;
  private final CertificateIssuer issuer;
  private final CertificateAttachments attachments;
  private final IdentityListener listener;
  private final Clock clock;

  public CertificateService(
      AwsAccount account,
      CertificateStore certificates,
      CaCertificateStore caCertificates,
      CertificateIssuer issuer,
      CertificateAttachments attachments,
      IdentityListener listener,
      Clock clock) {
    this.account = Objects.requireNonNull(account, "account");
    this.certificates = Objects.requireNonNull(certificates, "certificates");
    this.caCertificates = Objects.requireNonNull(caCertificates, "caCertificates");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.attachments = Objects.requireNonNull(attachments, "attachments");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A certificate with the private key that only this answer ever carries. */
  public record CreatedKeys(Certificate certificate, String publicKeyPem, String privateKeyPem) {}

  /** CreateKeysAndCertificate: a new RSA 2048 key pair and a certificate from Pylon's CA. */
  public CreatedKeys createKeysAndCertificate(boolean setAsActive) {
    CertificateIssuer.Issued issued = issuer.issueWithNewKeyPair();
    Certificate certificate =
        store(issued.certificate(), Optional.empty(), CertificateMode.DEFAULT, status(setAsActive));
    return new CreatedKeys(
        certificate,
        X509Pem.publicKeyPem(issued.keyPair().getPublic()),
        X509Pem.privateKeyPem(issued.keyPair().getPrivate()));
  }

  /** CreateCertificateFromCsr: a certificate from Pylon's CA for the key of a verified CSR. */
  public Certificate createCertificateFromCsr(
      String certificateSigningRequest, boolean setAsActive) {
    PublicKey key = X509Pem.verifiedCsrKey(certificateSigningRequest);
    return store(issuer.issue(key), Optional.empty(), CertificateMode.DEFAULT, status(setAsActive));
  }

  /**
   * RegisterCertificate: a device certificate signed by a registered CA (found by the issuer name
   * and signature, or named by {@code caCertificatePem}) or by Pylon's CA, in the CA's mode.
   *
   * @param status the status to register with; when empty, ACTIVE if {@code setAsActive}, else
   *     INACTIVE
   */
  public Certificate registerCertificate(
      String certificatePem,
      Optional<String> caCertificatePem,
      Optional<CertificateStatus> status,
      boolean setAsActive) {
    X509Certificate certificate = acceptable("certificatePem", certificatePem);
    CertificateStatus initial = registrationStatus(status, setAsActive);
    refuseDuplicate(certificate);
    Optional<CaCertificate> ca;
    if (caCertificatePem.isPresent()) {
      X509Certificate caCertificate =
          X509Pem.certificate("caCertificatePem", caCertificatePem.get());
      ca = caCertificates.find(X509Pem.id(caCertificate));
      if (ca.isEmpty() && !issuer.issued(caCertificate)) {
        throw new CertificateValidationException(
            "caCertificatePem is not a registered CA certificate; register it first");
      }
      if (!X509Pem.signedBy(certificate, caCertificate)) {
        throw new CertificateValidationException(
            "the certificate is not signed by the CA certificate in caCertificatePem");
      }
    } else {
      ca =
          caCertificates.findBySubject(X509Pem.issuer(certificate)).stream()
              .filter(c -> X509Pem.signedBy(certificate, X509Pem.certificate("ca", c.pem())))
              .findFirst();
      if (ca.isEmpty() && !issuer.issued(certificate)) {
        throw new CertificateValidationException(
            "the certificate is not signed by a registered CA certificate (issuer "
                + X509Pem.issuer(certificate)
                + "); register the CA first, or use RegisterCertificateWithoutCA");
      }
    }
    return store(
        certificate,
        ca.map(CaCertificate::id),
        ca.map(CaCertificate::mode).orElse(CertificateMode.DEFAULT),
        initial);
  }

  /** RegisterCertificateWithoutCA: any acceptable certificate, in SNI_ONLY mode. */
  public Certificate registerCertificateWithoutCa(
      String certificatePem, Optional<CertificateStatus> status) {
    X509Certificate certificate = acceptable("certificatePem", certificatePem);
    CertificateStatus initial = registrationStatus(status, false);
    refuseDuplicate(certificate);
    return store(certificate, Optional.empty(), CertificateMode.SNI_ONLY, initial);
  }

  /** DescribeCertificate. */
  public Certificate describeCertificate(String certificateId) {
    String id = CertificateIds.normalise("certificateId", certificateId);
    return certificates.find(id).orElseThrow(() -> notFound(id));
  }

  /** The certificate with this id (any spelling AWS accepts), if registered. */
  public Optional<Certificate> find(String certificateId) {
    return certificates.find(CertificateIds.normalise("certificateId", certificateId));
  }

  /** ListCertificates, by creation date. */
  public Page<Certificate> listCertificates(PageRequest page, boolean ascending) {
    return certificates.list(page, ascending);
  }

  /** ListCertificatesByCA, by creation date. */
  public Page<Certificate> listCertificatesByCa(
      String caCertificateId, PageRequest page, boolean ascending) {
    String caId = CertificateIds.normalise("caCertificateId", caCertificateId);
    return certificates.listByCa(caId, page, ascending);
  }

  /** The ids of every certificate registered with a CA, for closing their connections. */
  public List<String> idsByCa(String caCertificateId) {
    List<String> ids = new ArrayList<>();
    PageRequest page = PageRequest.first(PageRequest.LARGEST_MAX_RESULTS);
    while (true) {
      Page<Certificate> result = certificates.listByCa(caCertificateId, page, true);
      result.items().forEach(c -> ids.add(c.id()));
      if (result.nextToken().isEmpty()) {
        return ids;
      }
      page = new PageRequest(PageRequest.LARGEST_MAX_RESULTS, result.nextToken());
    }
  }

  /** The ACTIVE certificates registered without a CA, which TLS must trust by themselves. */
  public List<Certificate> activeWithoutCa() {
    return certificates.activeWithoutCa();
  }

  /**
   * UpdateCertificate: idempotent; a certificate that leaves ACTIVE has its connections closed by
   * the listener.
   */
  public void updateCertificate(String certificateId, CertificateStatus newStatus) {
    String id = CertificateIds.normalise("certificateId", certificateId);
    if (newStatus == CertificateStatus.PENDING_TRANSFER
        || newStatus == CertificateStatus.PENDING_ACTIVATION) {
      throw new InvalidRequestException(
          "newStatus " + newStatus + " is set by AWS IoT itself and cannot be requested");
    }
    for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      Certificate current = certificates.find(id).orElseThrow(() -> notFound(id));
      if (current.status() == newStatus) {
        return;
      }
      if (current.status() == CertificateStatus.REVOKED) {
        throw new CertificateStateException(
            "certificate " + id + " is REVOKED; a revoked certificate cannot change status");
      }
      if (current.status() == CertificateStatus.PENDING_TRANSFER) {
        throw new CertificateStateException(
            "certificate " + id + " is PENDING_TRANSFER; accept, reject or cancel the transfer");
      }
      Certificate updated = current.withStatus(newStatus, now(), newGenerationId());
      if (certificates.update(updated, current.customerVersion())) {
        listener.certificateChanged(Optional.of(current), updated);
        return;
      }
    }
    throw new ConflictingResourceUpdateException(
        "certificate " + id + " is being changed by another request; try again");
  }

  /**
   * DeleteCertificate: refused while ACTIVE or PENDING_TRANSFER, while a thing is attached, and
   * while a policy is attached unless {@code forceDelete}, which then detaches the policies.
   */
  public void deleteCertificate(String certificateId, boolean forceDelete) {
    String id = CertificateIds.normalise("certificateId", certificateId);
    Certificate current = certificates.find(id).orElseThrow(() -> notFound(id));
    if (current.status() == CertificateStatus.ACTIVE
        || current.status() == CertificateStatus.PENDING_TRANSFER) {
      throw new CertificateStateException(
          "certificate "
              + id
              + " is "
              + current.status()
              + "; set it INACTIVE or REVOKED with UpdateCertificate before deleting it");
    }
    if (attachments.hasThings(current.arn())) {
      throw new DeleteConflictException(
          "certificate " + id + " is attached to a thing; detach it with DetachThingPrincipal");
    }
    if (attachments.hasPolicies(current.arn())) {
      if (!forceDelete) {
        throw new DeleteConflictException(
            "certificate "
                + id
                + " has policies attached; detach them with DetachPolicy, or use forceDelete");
      }
      attachments.detachPolicies(current.arn());
    }
    if (certificates.delete(id)) {
      listener.certificateDeleted(current);
    }
  }

  private X509Certificate acceptable(String member, String pem) {
    X509Certificate certificate = X509Pem.certificate(member, pem);
    X509Pem.checkSignatureAlgorithm(member, certificate);
    if (certificate.getNotAfter().toInstant().isBefore(now())) {
      throw new CertificateValidationException(
          member + " expired on " + certificate.getNotAfter().toInstant());
    }
    return certificate;
  }

  private static CertificateStatus registrationStatus(
      Optional<CertificateStatus> status, boolean setAsActive) {
    CertificateStatus initial = status.orElse(status(setAsActive));
    if (initial == CertificateStatus.PENDING_TRANSFER) {
      throw new CertificateStateException(
          "a certificate cannot be registered as PENDING_TRANSFER; that status belongs to"
              + " TransferCertificate");
    }
    return initial;
  }

  private void refuseDuplicate(X509Certificate certificate) {
    String id = X509Pem.id(certificate);
    if (certificates.find(id).isPresent()) {
      throw alreadyExists(id);
    }
  }

  private Certificate store(
      X509Certificate x509,
      Optional<String> caCertificateId,
      CertificateMode mode,
      CertificateStatus status) {
    String id = X509Pem.id(x509);
    Instant now = now();
    Certificate certificate =
        new Certificate(
            id,
            account.arn("cert", id),
            X509Pem.certificatePem(x509),
            status,
            caCertificateId,
            account.accountId(),
            now,
            now,
            1,
            newGenerationId(),
            X509Pem.validity(x509),
            mode);
    if (!certificates.insert(certificate)) {
      throw alreadyExists(id);
    }
    listener.certificateChanged(Optional.empty(), certificate);
    return certificate;
  }

  private ResourceAlreadyExistsException alreadyExists(String id) {
    return new ResourceAlreadyExistsException(
        "the certificate is already registered with id " + id, id, account.arn("cert", id));
  }

  private static ResourceNotFoundException notFound(String id) {
    return new ResourceNotFoundException("certificate " + id + " does not exist");
  }

  private static CertificateStatus status(boolean setAsActive) {
    return setAsActive ? CertificateStatus.ACTIVE : CertificateStatus.INACTIVE;
  }

  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  static String newGenerationId() {
    return UUID.randomUUID().toString();
  }
}
