package io.pylon.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Opens many connections with a bounded number of CONNECTs outstanding. Unbounded, thousands of
 * SYNs overflow the server's accept backlog and the run measures SYN retransmission timers instead
 * of the server; bounded, the connect rate is what the server sustains.
 */
final class Connector {

  private final Transport transport;
  private final LoadSettings settings;
  private final ErrorLog errors;

  Connector(Transport transport, LoadSettings settings, ErrorLog errors) {
    this.transport = transport;
    this.settings = settings;
    this.errors = errors;
  }

  /**
   * Result of a connect phase: every attempted connection, and when the last CONNACK (or failure)
   * came.
   */
  record Outcome(
      List<MqttConnection> attempted,
      List<MqttConnection> connected,
      long startNanos,
      long endNanos) {
    int failed() {
      return attempted.size() - connected.size();
    }

    double seconds() {
      return (endNanos - startNanos) / 1e9;
    }
  }

  Outcome connect(int count, IntFunction<String> clientId, long timeoutNanos)
      throws InterruptedException {
    Semaphore permits = new Semaphore(settings.connectConcurrency());
    List<MqttConnection> attempted = new ArrayList<>(count);
    long start = System.nanoTime();
    long deadline = start + timeoutNanos;
    for (int i = 0; i < count; i++) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        errors.record("connect phase timed out");
        break;
      }
      MqttConnection c =
          new MqttConnection(
              clientId.apply(i), settings.version(), settings.keepAliveSeconds(), errors);
      attempted.add(c);
      c.connected().whenComplete((ok, failure) -> permits.release());
      transport
          .connect(c)
          .addListener(
              f -> {
                if (!f.isSuccess()) {
                  c.connectFailed(f.cause());
                }
              });
    }
    List<MqttConnection> connected = new ArrayList<>(attempted.size());
    for (MqttConnection c : attempted) {
      try {
        connected.add(
            c.connected().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        errors.record("no CONNACK before the connect phase timed out");
        c.disconnect();
      } catch (java.util.concurrent.ExecutionException e) {
        // Already counted by the connection itself.
      }
    }
    return new Outcome(attempted, connected, start, System.nanoTime());
  }

  /** Disconnects all and waits, bounded, for the sockets to close. */
  static void disconnectAll(List<MqttConnection> connections, long timeoutNanos) {
    List<CompletableFuture<Void>> closing = new ArrayList<>(connections.size());
    for (MqttConnection c : connections) {
      closing.add(c.disconnect());
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      // Closing is best effort: the event loop shutdown that follows closes whatever is left.
    }
  }

  /** Generous bound for a connect phase: a fixed allowance plus 10 ms per connection. */
  static long connectTimeoutNanos(int connections) {
    return TimeUnit.SECONDS.toNanos(30) + TimeUnit.MILLISECONDS.toNanos(10L * connections);
  }
}
