package io.pylon.domain.identity;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.List;
import java.util.Optional;

/**
 * Where CA certificates and the account's registration code are kept. Paging as in {@link
 * CertificateStore}.
 */
public interface CaCertificateStore {

  /** Stores a new CA certificate; false when one with its id exists already. */
  boolean insert(CaCertificate certificate);

  Optional<CaCertificate> find(String id);

  /** Replaces a CA certificate if its customerVersion is still {@code expectedVersion}. */
  boolean update(CaCertificate certificate, int expectedVersion);

  boolean delete(String id);

  Page<CaCertificate> list(PageRequest page, boolean ascending);

  /**
   * The CA certificates with this subject distinguished name (RFC 2253): the candidates for having
   * signed a device certificate with that issuer, and what AWS's quota of ten per subject counts.
   */
  List<CaCertificate> findBySubject(String subject);

  /** Every ACTIVE CA certificate: the TLS trust anchors besides Pylon's own CA. */
  List<CaCertificate> active();

  /** The current registration code, if one was made. */
  Optional<String> registrationCode();

  /**
   * The current registration code, storing {@code candidate} as it when there is none yet; two
   * concurrent callers get the same code.
   */
  String registrationCode(String candidate);

  /** Forgets the registration code; false when there was none. */
  boolean deleteRegistrationCode();
}
