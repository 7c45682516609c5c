package io.pylon.bench;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Per event-loop-thread delivery counters and latency histogram. Each receiving thread writes only
 * its own instance, so the per-message path has no shared writes; the main thread polls the
 * counters (ordered writes make them visible) and reads histograms only after the event loops have
 * stopped.
 */
final class ReceiverStats {

  final AtomicLong measuredDeliveries = new AtomicLong();
  final AtomicLong lastMeasuredNanos = new AtomicLong();
  final Histogram latency = LatencySummary.newHistogram();

  /** All per-thread instances of one run. */
  static final class Registry {
    private final List<ReceiverStats> all = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<ReceiverStats> local =
        new FastThreadLocal<>() {
          @Override
          protected ReceiverStats initialValue() {
            ReceiverStats s = new ReceiverStats();
            all.add(s);
            return s;
          }
        };

    ReceiverStats current() {
      return local.get();
    }

    long measuredDeliveries() {
      long sum = 0;
      for (ReceiverStats s : all) {
        sum += s.measuredDeliveries.get();
      }
      return sum;
    }

    long lastMeasuredNanos() {
      long last = 0;
      for (ReceiverStats s : all) {
        long t = s.lastMeasuredNanos.get();
        if (t != 0 && (last == 0 || t - last > 0)) {
          last = t;
        }
      }
      return last;
    }

    /** Call only once the threads that recorded have terminated. */
    LatencySummary latency() {
      return LatencySummary.merge(all.stream().map(s -> s.latency).toList());
    }
  }

  void recordMeasured(long nowNanos, long sentNanos) {
    measuredDeliveries.lazySet(measuredDeliveries.get() + 1);
    lastMeasuredNanos.lazySet(nowNanos);
    LatencySummary.record(latency, nowNanos - sentNanos);
  }
}
