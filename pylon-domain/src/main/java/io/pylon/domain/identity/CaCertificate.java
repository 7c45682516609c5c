package io.pylon.domain.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered CA certificate, whose device certificates may be registered and, while it is ACTIVE,
 * connect.
 *
 * @param id the lower-case hex SHA-256 of the DER encoding
 * @param arn {@code arn:aws:iot:<region>:<account>:cacert/<id>}
 * @param pem the CA certificate in PEM
 * @param subject the subject distinguished name (RFC 2253), for the per-subject quota
 * @param status ACTIVE or INACTIVE
 * @param autoRegistrationStatus whether unknown device certificates register on first connect
 * @param ownedBy the twelve-digit account id
 * @param creationDate when it was registered
 * @param lastModifiedDate when it last changed
 * @param customerVersion 1 at registration, one more on every change
 * @param generationId changes on every change
 * @param validity the certificate's own validity period
 * @param mode DEFAULT (registered with a verification certificate) or SNI_ONLY
 * @param registrationConfig just-in-time provisioning settings, possibly empty
 */
public record CaCertificate(
    String id,
    String arn,
    String pem,
    String subject,
    CaCertificateStatus status,
    AutoRegistrationStatus autoRegistrationStatus,
    String ownedBy,
    Instant creationDate,
    Instant lastModifiedDate,
    int customerVersion,
    String generationId,
    Validity validity,
    CertificateMode mode,
    RegistrationConfig registrationConfig) {

  public CaCertificate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(pem, "pem");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(autoRegistrationStatus, "autoRegistrationStatus");
    Objects.requireNonNull(ownedBy, "ownedBy");
    Objects.requireNonNull(creationDate, "creationDate");
    Objects.requireNonNull(lastModifiedDate, "lastModifiedDate");
    Objects.requireNonNull(generationId, "generationId");
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(registrationConfig, "registrationConfig");
  }

  CaCertificate changed(
      CaCertificateStatus newStatus,
      AutoRegistrationStatus newAutoRegistration,
      RegistrationConfig newConfig,
      Instant now,
      String newGenerationId) {
    return new CaCertificate(
        id,
        arn,
        pem,
        subject,
        newStatus,
        newAutoRegistration,
        ownedBy,
        creationDate,
        now,
        customerVersion + 1,
        newGenerationId,
        validity,
        mode,
        newConfig);
  }
}
