package io.pylon.mqtt.broker;

/**
 * A token bucket refilled continuously at {@code ratePerSecond} with a burst of one second's worth.
 * Not thread-safe by itself: a per-connection bucket is used on its event loop only; a shared one
 * is wrapped in {@code synchronized}.
 */
final class TokenBucket {

  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(int ratePerSecond, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = Math.max(1, ratePerSecond);
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  boolean tryTake(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
      lastNanos = nowNanos;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** How long until a token is available, nanos; 0 if one is now. */
  long nanosUntilToken(long nowNanos) {
    double available = Math.min(capacity, tokens + Math.max(0, nowNanos - lastNanos) * ratePerNano);
    return available >= 1 ? 0 : (long) Math.ceil((1 - available) / ratePerNano);
  }

  synchronized boolean tryTakeShared(long nowNanos) {
    return tryTake(nowNanos);
  }
}
