package io.pylon.server.rules.outbound;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of {@link OutboundHttp}.
 *
 * @param requestTimeout how long one delivery may take, retries and back-off included; AWS's http
 *     action allows 3 s and does not retry once the total would exceed it
 * @param maxAttempts tries per delivery, the first included (AWS: 3)
 * @param firstBackoff mean delay before the first retry; doubles for each further retry, with
 *     jitter
 * @param maxConcurrentRequests deliveries in progress at once (a delivery keeps its slot while it
 *     waits to retry)
 * @param maxQueuedRequests deliveries waiting for a slot; beyond it requests are dropped at once
 * @param maxResponseBytes response bytes read before the connection is dropped; a larger response
 *     is never retried (AWS: 16384)
 */
public record OutboundSettings(
    Duration requestTimeout,
    int maxAttempts,
    Duration firstBackoff,
    int maxConcurrentRequests,
    int maxQueuedRequests,
    int maxResponseBytes) {

  public OutboundSettings {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(firstBackoff, "firstBackoff");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (firstBackoff.isNegative()) {
      throw new IllegalArgumentException("firstBackoff must not be negative");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
    }
    if (maxQueuedRequests < 0) {
      throw new IllegalArgumentException("maxQueuedRequests must not be negative");
    }
    if (maxResponseBytes < 0) {
      throw new IllegalArgumentException("maxResponseBytes must not be negative");
    }
  }

  /** AWS's http action limits, 64 deliveries at once and 1000 waiting. */
  public static OutboundSettings defaults() {
    return new OutboundSettings(Duration.ofSeconds(3), 3, Duration.ofMillis(100), 64, 1000, 16384);
  }

  public OutboundSettings withRequestTimeout(Duration value) {
    return new OutboundSettings(
        value,
        maxAttempts,
        firstBackoff,
        maxConcurrentRequests,
        maxQueuedRequests,
        maxResponseBytes);
  }

  public OutboundSettings withFirstBackoff(Duration value) {
    return new OutboundSettings(
        requestTimeout,
        maxAttempts,
        value,
        maxConcurrentRequests,
        maxQueuedRequests,
        maxResponseBytes);
  }

  public OutboundSettings withMaxAttempts(int value) {
    return new OutboundSettings(
        requestTimeout,
        value,
        firstBackoff,
        maxConcurrentRequests,
        maxQueuedRequests,
        maxResponseBytes);
  }

  public OutboundSettings withLimits(int concurrent, int queued) {
    return new OutboundSettings(
        requestTimeout, maxAttempts, firstBackoff, concurrent, queued, maxResponseBytes);
  }
}
