package io.pylon.server.rules;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a rule log its failures at most once per interval: a destination that is down must not flood
 * the log with one line per message.
 */
final class FailureLog {

  private static final long INTERVAL_NANOS = 10_000_000_000L;

  private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);

  boolean shouldLog() {
    long now = System.nanoTime();
    long next = nextNanos.get();
    return (next == Long.MIN_VALUE || now - next >= 0)
        && nextNanos.compareAndSet(next, now + INTERVAL_NANOS);
  }
}
