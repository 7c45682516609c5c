package io.pylon.domain.policy;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Policies in memory, for tests and for running without a database. Same contract and paging tokens
 * shape as the JDBC store; every method holds one lock.
 */
public final class MemoryPolicyStore implements PolicyStore {

  private static final Comparator<Policy> BY_CREATION =
      Comparator.comparing(Policy::creationDate).thenComparing(Policy::name);

  private final Map<String, Policy> policies = new HashMap<>();
  private final Map<String, TreeMap<Integer, PolicyVersion>> versions = new HashMap<>();
  // target -> (policy name -> kind), both sorted
  private final TreeMap<String, TreeMap<String, PolicyTarget.Kind>> attachments = new TreeMap<>();

  @Override
  public synchronized boolean create(Policy policy, PolicyVersion first) {
    if (policies.containsKey(policy.name())) {
      return false;
    }
    policies.put(policy.name(), policy);
    TreeMap<Integer, PolicyVersion> byNumber = new TreeMap<>();
    byNumber.put(Integer.parseInt(first.versionId()), first);
    versions.put(policy.name(), byNumber);
    return true;
  }

  @Override
  public synchronized Optional<Policy> find(String name) {
    return Optional.ofNullable(policies.get(name));
  }

  @Override
  public synchronized Page<Policy> list(PageRequest page, boolean ascending) {
    Comparator<Policy> order = ascending ? BY_CREATION : BY_CREATION.reversed();
    List<Policy> sorted = policies.values().stream().sorted(order).toList();
    Optional<Policy> after = page.nextToken().map(MemoryPolicyStore::decode);
    List<Policy> rest =
        after.isEmpty()
            ? sorted
            : sorted.stream().filter(p -> order.compare(p, after.get()) > 0).toList();
    List<Policy> items = rest.subList(0, Math.min(rest.size(), page.maxResults()));
    Optional<String> next =
        rest.size() > items.size()
            ? Optional.of(encode(items.get(items.size() - 1)))
            : Optional.empty();
    return new Page<>(items, next);
  }

  @Override
  public synchronized List<PolicyVersion> versions(String policyName) {
    TreeMap<Integer, PolicyVersion> byNumber = versions.get(policyName);
    return byNumber == null ? List.of() : List.copyOf(byNumber.values());
  }

  @Override
  public synchronized Optional<PolicyVersion> version(String policyName, String versionId) {
    TreeMap<Integer, PolicyVersion> byNumber = versions.get(policyName);
    Optional<Integer> number = number(versionId);
    return byNumber == null || number.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(byNumber.get(number.get()));
  }

  @Override
  public synchronized boolean update(
      String expectedGenerationId,
      Policy updated,
      Optional<PolicyVersion> added,
      Optional<String> removedVersionId) {
    Policy current = policies.get(updated.name());
    if (current == null || !current.generationId().equals(expectedGenerationId)) {
      return false;
    }
    policies.put(updated.name(), updated);
    TreeMap<Integer, PolicyVersion> byNumber = versions.get(updated.name());
    added.ifPresent(v -> byNumber.put(Integer.parseInt(v.versionId()), v));
    removedVersionId.flatMap(MemoryPolicyStore::number).ifPresent(byNumber::remove);
    return true;
  }

  @Override
  public synchronized DeleteResult delete(String name, String expectedGenerationId) {
    Policy current = policies.get(name);
    if (current == null) {
      return DeleteResult.NOT_FOUND;
    }
    if (!current.generationId().equals(expectedGenerationId)) {
      return DeleteResult.CHANGED;
    }
    if (attachments.values().stream().anyMatch(m -> m.containsKey(name))) {
      return DeleteResult.ATTACHED;
    }
    policies.remove(name);
    versions.remove(name);
    return DeleteResult.DELETED;
  }

  @Override
  public synchronized AttachResult attach(
      String policyName, PolicyTarget target, int maxPerTarget, Instant now) {
    if (!policies.containsKey(policyName)) {
      return AttachResult.NOT_FOUND;
    }
    TreeMap<String, PolicyTarget.Kind> attached =
        attachments.computeIfAbsent(target.arn(), t -> new TreeMap<>());
    if (attached.containsKey(policyName)) {
      return AttachResult.ALREADY_ATTACHED;
    }
    if (attached.size() >= maxPerTarget) {
      return AttachResult.LIMIT_REACHED;
    }
    attached.put(policyName, target.kind());
    return AttachResult.ATTACHED;
  }

  @Override
  public synchronized boolean detach(String policyName, String target) {
    TreeMap<String, PolicyTarget.Kind> attached = attachments.get(target);
    if (attached == null || attached.remove(policyName) == null) {
      return false;
    }
    if (attached.isEmpty()) {
      attachments.remove(target);
    }
    return true;
  }

  @Override
  public synchronized List<String> detachAll(String target) {
    TreeMap<String, PolicyTarget.Kind> attached = attachments.remove(target);
    return attached == null ? List.of() : List.copyOf(attached.keySet());
  }

  @Override
  public synchronized List<String> attachedTo(String target) {
    TreeMap<String, PolicyTarget.Kind> attached = attachments.get(target);
    return attached == null ? List.of() : List.copyOf(attached.keySet());
  }

  @Override
  public synchronized Page<String> targetsOf(
      String policyName, Optional<PolicyTarget.Kind> kind, PageRequest page, boolean ascending) {
    List<String> all = new ArrayList<>();
    attachments.forEach(
        (target, attached) -> {
          PolicyTarget.Kind k = attached.get(policyName);
          if (k != null && (kind.isEmpty() || kind.get() == k)) {
            all.add(target);
          }
        });
    if (!ascending) {
      all.sort(Comparator.reverseOrder());
    }
    Optional<String> after = page.nextToken().map(MemoryPolicyStore::decodeText);
    List<String> rest =
        after.isEmpty()
            ? all
            : all.stream()
                .filter(
                    t -> ascending ? t.compareTo(after.get()) > 0 : t.compareTo(after.get()) < 0)
                .toList();
    List<String> items = rest.subList(0, Math.min(rest.size(), page.maxResults()));
    Optional<String> next =
        rest.size() > items.size()
            ? Optional.of(encodeText(items.get(items.size() - 1)))
            : Optional.empty();
    return new Page<>(items, next);
  }

  private static Optional<Integer> number(String versionId) {
    try {
      return Optional.of(Integer.parseInt(versionId));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String encode(Policy last) {
    return encodeText(last.creationDate().toEpochMilli() + ":" + last.name());
  }

  private static Policy decode(String token) {
    String text = decodeText(token);
    int colon = text.indexOf(':');
    try {
      Instant created = Instant.ofEpochMilli(Long.parseLong(text.substring(0, colon)));
      String name = text.substring(colon + 1);
      return new Policy(name, "0", "", created, created, "", 0);
    } catch (RuntimeException e) {
      throw badMarker(token);
    }
  }

  private static String encodeText(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeText(String token) {
    try {
      return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw badMarker(token);
    }
  }

  private static InvalidRequestException badMarker(String token) {
    return new InvalidRequestException("marker '" + token + "' is not one this server returned");
  }
}
