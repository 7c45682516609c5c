package io.pylon.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a shadow run, shared by every device: measured requests sent, accepted answers with
 * their latency (per event-loop thread, as {@link ReceiverStats}), and refusals by shadow error
 * code. Devices write from their event loops; the main thread polls the sums.
 */
final class ShadowTally {

  final ReceiverStats.Registry accepted = new ReceiverStats.Registry();
  private final LongAdder sent = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final Map<Integer, LongAdder> rejectedByCode = new ConcurrentHashMap<>();
  private volatile long lastAnswerNanos;

  void sent() {
    sent.increment();
  }

  void accepted(long nowNanos, long sentNanos) {
    accepted.current().recordMeasured(nowNanos, sentNanos);
    lastAnswerNanos = nowNanos;
  }

  void rejected(long nowNanos, int code) {
    rejected.increment();
    rejectedByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    lastAnswerNanos = nowNanos;
  }

  long sentCount() {
    return sent.sum();
  }

  long acceptedCount() {
    return accepted.measuredDeliveries();
  }

  long rejectedCount() {
    return rejected.sum();
  }

  long answeredCount() {
    return acceptedCount() + rejectedCount();
  }

  /** When the last measured answer arrived, or 0 if none did. */
  long lastAnswerNanos() {
    return lastAnswerNanos;
  }

  /** Refusals by shadow error code, e.g. {@code {"429": 12}}. */
  Map<String, Long> rejectedByCode() {
    Map<String, Long> codes = new TreeMap<>();
    rejectedByCode.forEach((code, n) -> codes.put(Integer.toString(code), n.sum()));
    return codes;
  }
}
