package io.pylon.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Errors seen during a run, counted by kind. Kinds are short phrases without client ids, so a
 * thousand subscribers failing the same way report one line with a count instead of a thousand
 * lines.
 */
final class ErrorLog {

  private static final int MAX_KINDS = 32;

  private final LongAdder total = new LongAdder();
  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();

  void record(String kind) {
    total.increment();
    LongAdder counter = byKind.get(kind);
    if (counter == null && byKind.size() < MAX_KINDS) {
      counter = byKind.computeIfAbsent(kind, k -> new LongAdder());
    }
    if (counter != null) {
      counter.increment();
    }
  }

  long count() {
    return total.sum();
  }

  /** "kind (n)" lines, most frequent first. */
  List<String> summary() {
    List<Map.Entry<String, LongAdder>> entries = new ArrayList<>(byKind.entrySet());
    entries.sort((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()));
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, LongAdder> e : entries) {
      lines.add(e.getKey() + " (" + e.getValue().sum() + ")");
    }
    return lines;
  }
}
