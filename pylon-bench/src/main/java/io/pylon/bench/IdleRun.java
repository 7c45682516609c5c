package io.pylon.bench;

import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The idle-connections scenario: open N connections (bounded concurrency), report the connect rate,
 * hold them with nothing but keep-alive pings, sample the server's RSS at the end of the hold, then
 * disconnect all. RSS growth divided by connections is the per-connection memory cost, the number
 * that decides how many devices one node can keep online.
 *
 * <p>Before the measured connects, the warm-up opens and closes rounds of up to {@link
 * #WARMUP_ROUND} connections, so that the connect rate is that of warm JITs on both sides, as in
 * the other scenarios (a JVM fresh from start-up spends most of its first seconds compiling). The
 * RSS baseline is taken before the warm-up: whatever the warm-up leaves behind counts against the
 * connections, which errs on the high side.
 */
final class IdleRun {

  static final int WARMUP_ROUND = 2_000;

  /** Bounds the ports the warm-up puts into TIME_WAIT. */
  static final int MAX_WARMUP_ROUNDS = 5;

  private final LoadSettings settings;
  private final Duration hold;
  private final ErrorLog errors = new ErrorLog();

  IdleRun(LoadSettings settings, Duration hold) {
    this.settings = settings;
    this.hold = hold;
  }

  RunResult.Idle run() throws Exception {
    String startedAt = Instant.now().toString();
    int n = settings.clients();
    ProcStats.Sample before = sample();
    try (Transport transport = new Transport(settings)) {
      Connector connector = new Connector(transport, settings, errors);
      String prefix = settings.clientIdPrefix() + "-idle-";
      warmUp(connector, prefix, Math.min(n, WARMUP_ROUND));
      ProcStats.Sample connectStart = sample();
      Connector.Outcome outcome =
          connector.connect(n, i -> prefix + i, Connector.connectTimeoutNanos(n));
      ProcStats.Sample afterConnect = sample();
      ScheduledFuture<?> pinger = null;
      if (settings.keepAliveSeconds() > 0) {
        long period = TimeUnit.SECONDS.toNanos(settings.keepAliveSeconds()) / 2;
        pinger =
            transport
                .anyLoop()
                .scheduleAtFixedRate(
                    () -> outcome.connected().forEach(MqttConnection::ping),
                    period,
                    period,
                    TimeUnit.NANOSECONDS);
      }
      Thread.sleep(hold.toMillis());
      ProcStats.Sample held = sample();
      if (pinger != null) {
        pinger.cancel(false);
      }
      Connector.disconnectAll(outcome.attempted(), TimeUnit.SECONDS.toNanos(30));

      int connected = outcome.connected().size();
      double connectS = Math.max(outcome.seconds(), 1e-9);
      Long rssBefore = before == null ? null : before.rssKb();
      Long rssAfter = held == null ? null : held.rssKb();
      Double perConnection =
          rssBefore == null || rssAfter == null || connected == 0
              ? null
              : PubSubRun.round((double) (rssAfter - rssBefore) / connected, 2);
      Double cpuConnect =
          connectStart == null || afterConnect == null
              ? null
              : PubSubRun.round(afterConnect.cpuSecondsSince(connectStart), 2);
      return new RunResult.Idle(
          "idle",
          settings.label(),
          startedAt,
          settings.protocolName(),
          n,
          connected,
          outcome.failed(),
          PubSubRun.round(connectS, 3),
          PubSubRun.round(connected / connectS, 1),
          hold.toMillis() / 1000.0,
          errors.count(),
          errors.summary(),
          settings.serverPid() > 0 ? settings.serverPid() : null,
          rssBefore,
          rssAfter,
          perConnection,
          cpuConnect,
          transport.name,
          settings.threads());
    }
  }

  /** Connect and disconnect rounds until the warm-up time is over (at least one round). */
  private void warmUp(Connector connector, String prefix, int perRound)
      throws InterruptedException {
    long warmupNanos = settings.warmup().toNanos();
    if (warmupNanos <= 0 || perRound == 0) {
      return;
    }
    long end = System.nanoTime() + warmupNanos;
    for (int round = 0;
        round < MAX_WARMUP_ROUNDS && (round == 0 || System.nanoTime() < end);
        round++) {
      String roundPrefix = prefix + "warmup" + round + "-";
      Connector.Outcome outcome =
          connector.connect(
              perRound, i -> roundPrefix + i, Connector.connectTimeoutNanos(perRound));
      Connector.disconnectAll(outcome.attempted(), TimeUnit.SECONDS.toNanos(30));
    }
  }

  /** Upper bound on the warm-up, for the load tool's hard deadline. */
  static long maxWarmupNanos(int clients) {
    int perRound = Math.min(clients, WARMUP_ROUND);
    return MAX_WARMUP_ROUNDS
        * (Connector.connectTimeoutNanos(perRound) + TimeUnit.SECONDS.toNanos(30));
  }

  ErrorLog errors() {
    return errors;
  }

  private ProcStats.Sample sample() {
    if (settings.serverPid() <= 0) {
      return null;
    }
    try {
      return ProcStats.sample(settings.serverPid());
    } catch (IOException e) {
      errors.record("cannot read /proc for the server: " + e.getMessage());
      return null;
    }
  }
}
