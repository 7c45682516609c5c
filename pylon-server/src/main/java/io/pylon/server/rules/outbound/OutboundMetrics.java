package io.pylon.server.rules.outbound;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pylon.server.rules.outbound.OutboundResult.Reason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counters of {@link OutboundHttp}, kept as {@link LongAdder}s and exported as function counters
 * like the broker's.
 */
final class OutboundMetrics {

  static final String PREFIX = "pylon.rules.outbound.";

  final LongAdder sent = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder dropped = new LongAdder();
  private final Map<Reason, LongAdder> failed = new EnumMap<>(Reason.class);

  OutboundMetrics(MeterRegistry registry, IntSupplier inFlight, IntSupplier queued) {
    FunctionCounter.builder(PREFIX + "requests.sent", sent, LongAdder::doubleValue)
        .description("HTTP requests sent by rule actions, retries included")
        .register(registry);
    FunctionCounter.builder(PREFIX + "requests.retried", retried, LongAdder::doubleValue)
        .description("HTTP requests sent again after a 429, 5xx or connection failure")
        .register(registry);
    FunctionCounter.builder(PREFIX + "requests.delivered", delivered, LongAdder::doubleValue)
        .description("Deliveries answered with 2xx")
        .register(registry);
    FunctionCounter.builder(PREFIX + "requests.dropped", dropped, LongAdder::doubleValue)
        .description("Deliveries refused at once because the queue was full")
        .register(registry);
    for (Reason reason : Reason.values()) {
      if (reason == Reason.QUEUE_FULL) {
        continue; // counted as dropped
      }
      LongAdder adder = new LongAdder();
      failed.put(reason, adder);
      FunctionCounter.builder(PREFIX + "requests.failed", adder, LongAdder::doubleValue)
          .description("Deliveries that failed after their last attempt, by reason")
          .tag("reason", reason.tag())
          .register(registry);
    }
    Gauge.builder(PREFIX + "requests.inflight", inFlight, s -> s.getAsInt())
        .description("Deliveries in progress, including those waiting to retry")
        .register(registry);
    Gauge.builder(PREFIX + "requests.queued", queued, s -> s.getAsInt())
        .description("Deliveries waiting for a free slot")
        .register(registry);
  }

  void record(OutboundResult result) {
    if (result instanceof OutboundResult.Delivered) {
      delivered.increment();
    } else if (result instanceof OutboundResult.Failed failure) {
      if (failure.reason() == Reason.QUEUE_FULL) {
        dropped.increment();
      } else {
        failed.get(failure.reason()).increment();
      }
    }
  }
}
