package io.pylon.domain.identity;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/** CA certificates and the registration code in memory, for unit tests. */
public final class MemoryCaCertificateStore implements CaCertificateStore {

  private final ConcurrentMap<String, CaCertificate> byId = new ConcurrentHashMap<>();
  private final AtomicReference<String> registrationCode = new AtomicReference<>();

  @Override
  public boolean insert(CaCertificate certificate) {
    return byId.putIfAbsent(certificate.id(), certificate) == null;
  }

  @Override
  public Optional<CaCertificate> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized boolean update(CaCertificate certificate, int expectedVersion) {
    CaCertificate current = byId.get(certificate.id());
    if (current == null || current.customerVersion() != expectedVersion) {
      return false;
    }
    byId.put(certificate.id(), certificate);
    return true;
  }

  @Override
  public boolean delete(String id) {
    return byId.remove(id) != null;
  }

  @Override
  public Page<CaCertificate> list(PageRequest page, boolean ascending) {
    return MemoryCertificateStore.page(
        byId.values().stream().toList(),
        c -> true,
        page,
        ascending,
        CaCertificate::creationDate,
        CaCertificate::id);
  }

  @Override
  public List<CaCertificate> findBySubject(String subject) {
    return byId.values().stream()
        .filter(c -> c.subject().equals(subject))
        .sorted(Comparator.comparing(CaCertificate::id))
        .toList();
  }

  @Override
  public List<CaCertificate> active() {
    return byId.values().stream()
        .filter(c -> c.status() == CaCertificateStatus.ACTIVE)
        .sorted(Comparator.comparing(CaCertificate::id))
        .toList();
  }

  @Override
  public Optional<String> registrationCode() {
    return Optional.ofNullable(registrationCode.get());
  }

  @Override
  public String registrationCode(String candidate) {
    registrationCode.compareAndSet(null, candidate);
    return registrationCode.get();
  }

  @Override
  public boolean deleteRegistrationCode() {
    return registrationCode.getAndSet(null) != null;
  }
}
