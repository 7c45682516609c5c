package io.pylon.domain.identity;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Predicate;

/** Device certificates in memory: for unit tests and to show the contract needs no database. */
public final class MemoryCertificateStore implements CertificateStore {

  private final ConcurrentMap<String, Certificate> byId = new ConcurrentHashMap<>();

  @Override
  public boolean insert(Certificate certificate) {
    return byId.putIfAbsent(certificate.id(), certificate) == null;
  }

  @Override
  public Optional<Certificate> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized boolean update(Certificate certificate, int expectedVersion) {
    Certificate current = byId.get(certificate.id());
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
  public Page<Certificate> list(PageRequest page, boolean ascending) {
    return page(byId.values().stream().toList(), c -> true, page, ascending);
  }

  @Override
  public Page<Certificate> listByCa(String caCertificateId, PageRequest page, boolean ascending) {
    return page(
        byId.values().stream().toList(),
        c -> c.caCertificateId().equals(Optional.of(caCertificateId)),
        page,
        ascending);
  }

  @Override
  public boolean existsForCa(String caCertificateId) {
    return byId.values().stream()
        .anyMatch(c -> c.caCertificateId().equals(Optional.of(caCertificateId)));
  }

  @Override
  public List<Certificate> activeWithoutCa() {
    return byId.values().stream()
        .filter(c -> c.withoutCa() && c.status() == CertificateStatus.ACTIVE)
        .sorted(Comparator.comparing(Certificate::id))
        .toList();
  }

  /** Keyset paging by (creation date, id) over any items, shared with the CA store. */
  static <T> Page<T> page(
      List<T> all,
      Predicate<T> filter,
      PageRequest page,
      boolean ascending,
      Function<T, java.time.Instant> created,
      Function<T, String> id) {
    Comparator<T> order =
        Comparator.comparing((T t) -> created.apply(t).toEpochMilli()).thenComparing(id);
    if (!ascending) {
      order = order.reversed();
    }
    Optional<CreationMarker> after = page.nextToken().map(CreationMarker::decode);
    List<T> matching =
        all.stream()
            .filter(filter)
            .filter(
                t ->
                    after.isEmpty()
                        || after.get().isBefore(created.apply(t), id.apply(t), ascending))
            .sorted(order)
            .limit(page.maxResults() + 1L)
            .toList();
    if (matching.size() <= page.maxResults()) {
      return Page.last(matching);
    }
    List<T> items = matching.subList(0, page.maxResults());
    T last = items.get(items.size() - 1);
    return new Page<>(
        items, Optional.of(new CreationMarker(created.apply(last), id.apply(last)).encode()));
  }

  private static Page<Certificate> page(
      List<Certificate> all, Predicate<Certificate> filter, PageRequest page, boolean ascending) {
    return page(all, filter, page, ascending, Certificate::creationDate, Certificate::id);
  }
}
