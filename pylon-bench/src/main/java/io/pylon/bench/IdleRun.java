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
 */
final class IdleRun {

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
          before == null || afterConnect == null
              ? null
              : PubSubRun.round(afterConnect.cpuSecondsSince(before), 2);
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
