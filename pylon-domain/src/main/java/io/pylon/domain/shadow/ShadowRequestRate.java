package io.pylon.domain.shadow;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-shadow request quota: a token bucket per shadow holding up to {@code perSecond} requests
 * and refilled at {@code perSecond} a second. Buckets of idle shadows are dropped when many pile
 * up, so memory follows the number of busy shadows, not of all shadows ever asked for.
 */
final class ShadowRequestRate {

  static final int MAX_BUCKETS = 10_000;

  private final int perSecond;
  private final Clock clock;
  private final Map<ShadowId, Bucket> buckets = new ConcurrentHashMap<>();

  ShadowRequestRate(int perSecond, Clock clock) {
    this.perSecond = perSecond;
    this.clock = clock;
  }

  /** Takes one request for {@code id}, or refuses it with 429. */
  void take(ShadowId id) {
    if (perSecond == 0) {
      return;
    }
    long now = clock.millis();
    if (buckets.size() > MAX_BUCKETS) {
      buckets.values().removeIf(b -> b.isFull(now));
    }
    if (!buckets.computeIfAbsent(id, i -> new Bucket(perSecond, now)).tryTake(now)) {
      throw new ShadowException(ShadowException.THROTTLED, "Rate limit exceeded");
    }
  }

  private static final class Bucket {
    private final int capacity;
    private double tokens;
    private long refilledAt;

    Bucket(int capacity, long now) {
      this.capacity = capacity;
      this.tokens = capacity;
      this.refilledAt = now;
    }

    synchronized boolean tryTake(long now) {
      refill(now);
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      // A wall clock set back must not take tokens away.
      long elapsed = Math.max(0, now - refilledAt);
      tokens = Math.min(capacity, tokens + elapsed * capacity / 1000.0);
      refilledAt = Math.max(refilledAt, now);
    }
  }
}
