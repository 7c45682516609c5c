package io.pylon.http.sigv4;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable, case-insensitive HTTP header multimap.
 *
 * <p>Values keep the order in which they arrived: SigV4 joins repeated headers with {@code ,} in
 * arrival order, so a map that merged or reordered them would break signatures. Give this class the
 * headers <em>as received</em> — before any aggregator rewrites {@code Content-Length} or {@code
 * Transfer-Encoding} — because clients sign such headers too (the AWS CRT signs {@code
 * content-length}).
 */
public final class SigV4Headers {

  private static final SigV4Headers EMPTY = new SigV4Headers(Map.of(), List.of());

  /** Lower-case name to values in arrival order. */
  private final Map<String, List<String>> byName;

  /** Original spelling and order, for iteration (the signer re-emits them). */
  private final List<Map.Entry<String, String>> entries;

  private SigV4Headers(Map<String, List<String>> byName, List<Map.Entry<String, String>> entries) {
    this.byName = byName;
    this.entries = entries;
  }

  public static SigV4Headers empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Headers from a name → values map (e.g. {@code java.net.http.HttpHeaders.map()}). */
  public static SigV4Headers of(Map<String, ? extends Collection<String>> headers) {
    Builder builder = builder();
    headers.forEach((name, values) -> values.forEach(value -> builder.add(name, value)));
    return builder.build();
  }

  /**
   * Headers from alternating name/value arguments: {@code of("Host", "h", "X-Amz-Date", "...")}.
   */
  public static SigV4Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Builder builder = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return builder.build();
  }

  /** All values of {@code name} in arrival order; empty if absent. */
  public List<String> all(String name) {
    return byName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** The first value of {@code name}. */
  public Optional<String> first(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public boolean contains(String name) {
    return byName.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** Lower-case names of all headers present. */
  public Set<String> names() {
    return byName.keySet();
  }

  /** Every (name, value) pair with the name spelled as it was added, in order. */
  public List<Map.Entry<String, String>> entries() {
    return entries;
  }

  /** A builder pre-filled with these headers. */
  public Builder toBuilder() {
    Builder builder = builder();
    entries.forEach(e -> builder.add(e.getKey(), e.getValue()));
    return builder;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigV4Headers other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }

  public static final class Builder {
    private final List<Map.Entry<String, String>> entries = new ArrayList<>();

    private Builder() {}

    /** Adds one more value; earlier values of the same name stay. */
    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      entries.add(Map.entry(name, value));
      return this;
    }

    /** Replaces every value of {@code name} (any spelling) with this one. */
    public Builder set(String name, String value) {
      remove(name);
      return add(name, value);
    }

    public Builder remove(String name) {
      entries.removeIf(e -> e.getKey().equalsIgnoreCase(name));
      return this;
    }

    public SigV4Headers build() {
      if (entries.isEmpty()) {
        return EMPTY;
      }
      Map<String, List<String>> byName = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : entries) {
        byName
            .computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(e.getValue());
      }
      byName.replaceAll((k, v) -> List.copyOf(v));
      return new SigV4Headers(Collections.unmodifiableMap(byName), List.copyOf(entries));
    }
  }
}
