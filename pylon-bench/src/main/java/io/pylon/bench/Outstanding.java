package io.pylon.bench;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * One device's requests awaiting an answer: sequence number and send time, at most {@code capacity}
 * at once. Answers usually come in order, but a refusal decided on arrival (429) can overtake
 * requests queued before it, so a slot is found by sequence, not by position. Capacities are small
 * (the per-device window), so a linear scan beats any map. Not thread-safe: one event loop owns it.
 */
final class Outstanding {

  /** Marks a free slot; sequence numbers start at 0. */
  private static final long NONE = -1;

  private final long[] sequences;
  private final long[] sentNanos;
  private int size;

  Outstanding(int capacity) {
    sequences = new long[capacity];
    sentNanos = new long[capacity];
    Arrays.fill(sequences, NONE);
  }

  int size() {
    return size;
  }

  boolean isFull() {
    return size == sequences.length;
  }

  /** Records a request; the caller checks {@link #isFull} first. */
  void add(long sequence, long nanos) {
    for (int i = 0; i < sequences.length; i++) {
      if (sequences[i] == NONE) {
        sequences[i] = sequence;
        sentNanos[i] = nanos;
        size++;
        return;
      }
    }
    throw new IllegalStateException("no free slot for request " + sequence);
  }

  /** Removes the request and returns its send time; empty if it is not outstanding. */
  OptionalLong remove(long sequence) {
    if (sequence < 0) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < sequences.length; i++) {
      if (sequences[i] == sequence) {
        sequences[i] = NONE;
        size--;
        return OptionalLong.of(sentNanos[i]);
      }
    }
    return OptionalLong.empty();
  }
}
