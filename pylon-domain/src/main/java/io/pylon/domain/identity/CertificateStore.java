package io.pylon.domain.identity;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.List;
import java.util.Optional;

/**
 * Where device certificates are kept. Lists are ordered by creation date, then id; page tokens are
 * opaque base64 strings (AWS markers) that a store rejects with InvalidRequestException when it did
 * not make them.
 */
public interface CertificateStore {

  /** Stores a new certificate; false when one with its id exists already (nothing changes). */
  boolean insert(Certificate certificate);

  Optional<Certificate> find(String id);

  /**
   * Replaces a certificate if its stored customerVersion is still {@code expectedVersion}; false
   * when it changed meanwhile or is gone.
   */
  boolean update(Certificate certificate, int expectedVersion);

  /** Deletes a certificate; false when there was none. */
  boolean delete(String id);

  Page<Certificate> list(PageRequest page, boolean ascending);

  Page<Certificate> listByCa(String caCertificateId, PageRequest page, boolean ascending);

  /** Whether any certificate was registered with this CA. */
  boolean existsForCa(String caCertificateId);

  /** The ACTIVE certificates registered without a CA: they are their own TLS trust anchors. */
  List<Certificate> activeWithoutCa();
}
