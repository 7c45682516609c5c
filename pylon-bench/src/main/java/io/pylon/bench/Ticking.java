package io.pylon.bench;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A connection's periodic work (pacing, stall checks), run by one timer per event loop. */
interface Ticking {

  void tick(long nowNanos);

  /** Whether this connection has sent everything its budget allows. */
  boolean done();

  /** Whether every connection of a group is done. */
  static boolean allDone(Ticking[] group) {
    for (Ticking t : group) {
      if (!t.done()) {
        return false;
      }
    }
    return true;
  }

  /** The run's own thread waits for a phase boundary (end of warm-up) on the nano clock. */
  static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
    }
  }

  /** One timer per event loop ticking its connections, so that a tick never crosses threads. */
  static void schedulePerLoop(
      Map<EventLoop, ? extends List<? extends Ticking>> byLoop,
      long tickNanos,
      List<ScheduledFuture<?>> timers) {
    byLoop.forEach(
        (loop, list) -> {
          ScheduledFuture<?> timer =
              loop.scheduleAtFixedRate(
                  () -> {
                    long now = System.nanoTime();
                    for (Ticking t : list) {
                      t.tick(now);
                    }
                  },
                  tickNanos,
                  tickNanos,
                  TimeUnit.NANOSECONDS);
          timers.add(timer);
        });
  }

  /** Keep-alive pings for every connection at half the keep-alive, when there is one. */
  static void schedulePings(
      Transport transport,
      int keepAliveSeconds,
      List<MqttConnection> all,
      List<ScheduledFuture<?>> timers) {
    if (keepAliveSeconds <= 0) {
      return;
    }
    long period = TimeUnit.SECONDS.toNanos(keepAliveSeconds) / 2;
    timers.add(
        transport
            .anyLoop()
            .scheduleAtFixedRate(
                () -> all.forEach(MqttConnection::ping), period, period, TimeUnit.NANOSECONDS));
  }
}
