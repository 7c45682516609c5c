package io.pylon.domain.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered device certificate.
 *
 * @param id the lower-case hex SHA-256 of the DER encoding (AWS's certificateId)
 * @param arn {@code arn:aws:iot:<region>:<account>:cert/<id>}
 * @param pem the certificate in PEM
 * @param status who may use it
 * @param caCertificateId the registered CA that signed it; empty for certificates issued by Pylon's
 *     own CA and for certificates registered without a CA
 * @param ownedBy the twelve-digit account id
 * @param creationDate when it was registered or issued
 * @param lastModifiedDate when it last changed
 * @param customerVersion 1 at creation, one more on every change
 * @param generationId changes on every change
 * @param validity the certificate's own validity period
 * @param mode DEFAULT, or SNI_ONLY when registered without a CA or through an SNI_ONLY CA
 */
public record Certificate(
    String id,
    String arn,
    String pem,
    CertificateStatus status,
    Optional<String> caCertificateId,
    String ownedBy,
    Instant creationDate,
    Instant lastModifiedDate,
    int customerVersion,
    String generationId,
    Validity validity,
    CertificateMode mode) {

  public Certificate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(pem, "pem");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(caCertificateId, "caCertificateId");
    Objects.requireNonNull(ownedBy, "ownedBy");
    Objects.requireNonNull(creationDate, "creationDate");
    Objects.requireNonNull(lastModifiedDate, "lastModifiedDate");
    Objects.requireNonNull(generationId, "generationId");
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(mode, "mode");
  }

  /** Whether it was registered without a CA: such certificates are their own trust anchor. */
  public boolean withoutCa() {
    return mode == CertificateMode.SNI_ONLY && caCertificateId.isEmpty();
  }

  Certificate withStatus(CertificateStatus newStatus, Instant now, String newGenerationId) {
    return new Certificate(
        id,
        arn,
        pem,
        newStatus,
        caCertificateId,
        ownedBy,
        creationDate,
        now,
        customerVersion + 1,
        newGenerationId,
        validity,
        mode);
  }
}
