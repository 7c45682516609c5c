package io.pylon.bench;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shadow scenario: N devices (one connection each) update their own thing's classic shadow over
 * MQTT and wait for {@code /update/accepted} or {@code /update/rejected}, with at most {@code
 * --inflight} requests unanswered per device. A server that answers accepted only after the update
 * is committed (Pylon does) makes this a measure of durable shadow updates per second.
 *
 * <p>Phases as in {@link PubSubRun}: connect and subscribe every device (one SUBSCRIBE for both
 * answer topics), warm up unmeasured, measure until the budget ({@code --messages}, across devices)
 * is sent or {@code --duration} passed, then drain until every measured request is answered or
 * answers stop for {@code --drain-timeout}. Unanswered requests are reported, not hidden.
 */
final class ShadowRun {

  static final String SCENARIO = "shadow";

  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final LoadSettings settings;
  private final ErrorLog errors = new ErrorLog();
  private final ShadowTally tally = new ShadowTally();

  ShadowRun(LoadSettings settings) {
    this.settings = settings;
  }

  /** Thing name of device {@code index}: {@code <client-id-prefix>-dev-<index>}. */
  static String thingName(String prefix, int index) {
    return prefix + "-dev-" + index;
  }

  RunResult.Shadow run() throws Exception {
    String startedAt = Instant.now().toString();
    int n = settings.clients();
    String prefix = settings.clientIdPrefix();
    List<ScheduledFuture<?>> timers = new ArrayList<>();
    Transport transport = new Transport(settings);
    try {
      Connector connector = new Connector(transport, settings, errors);
      long connectTimeout = Connector.connectTimeoutNanos(n);
      Connector.Outcome devices =
          connector.connect(n, i -> prefix + "-shadow-d" + i, connectTimeout);
      List<MqttConnection> all = devices.attempted();
      if (devices.failed() > 0) {
        throw new IOException(
            devices.failed()
                + " of "
                + n
                + " devices could not connect: "
                + String.join("; ", errors.summary()));
      }
      List<CompletableFuture<Void>> subAcks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        subAcks.add(
            devices
                .connected()
                .get(i)
                .subscribe(ShadowDevice.answerFilters(thingName(prefix, i)), settings.qos()));
      }
      try {
        CompletableFuture.allOf(subAcks.toArray(CompletableFuture[]::new))
            .get(connectTimeout, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        throw new IOException("subscribing failed: " + String.join("; ", errors.summary()), e);
      }

      long start = System.nanoTime();
      long measureStart = start + settings.warmup().toNanos();
      ShadowDevice.Plan plan =
          new ShadowDevice.Plan(
              settings.qos(),
              settings.version() == MqttVersion.MQTT_5,
              settings.inflight(),
              ShadowDevice.padFor(settings.payloadBytes()),
              measureStart,
              measureStart + settings.duration().toNanos());
      ShadowDevice[] group = new ShadowDevice[n];
      Map<EventLoop, List<ShadowDevice>> byLoop = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        MqttConnection c = devices.connected().get(i);
        group[i] =
            new ShadowDevice(
                c.channel(),
                thingName(prefix, i),
                plan,
                PubSubRun.budget(settings.messages(), n, i),
                tally,
                errors);
        c.listener(group[i]);
        byLoop.computeIfAbsent(c.channel().eventLoop(), l -> new ArrayList<>()).add(group[i]);
      }
      Ticking.schedulePerLoop(byLoop, TICK_NANOS, timers);
      Ticking.schedulePings(transport, settings.keepAliveSeconds(), all, timers);
      for (ShadowDevice d : group) {
        d.start();
      }

      Ticking.sleepUntil(measureStart);
      PubSubRun.Sampler sampler = new PubSubRun.Sampler(settings.serverPid());
      sampler.begin();
      long sendDeadline = plan.sendDeadlineNanos() + TimeUnit.SECONDS.toNanos(2);
      while (!Ticking.allDone(group) && System.nanoTime() - sendDeadline < 0) {
        Thread.sleep(10);
      }
      long sent = tally.sentCount();
      long answered = drain(sent);
      sampler.end();
      long last = tally.lastAnswerNanos();
      double elapsed = Math.max((last == 0 ? sampler.endNanos : last) - measureStart, 1) / 1e9;

      timers.forEach(t -> t.cancel(false));
      Connector.disconnectAll(all, TimeUnit.SECONDS.toNanos(10));
      transport.close();

      long accepted = tally.acceptedCount();
      Double cpu = sampler.serverCpuSeconds();
      return new RunResult.Shadow(
          SCENARIO,
          settings.label(),
          "peak",
          startedAt,
          settings.protocolName(),
          settings.qos(),
          ShadowDevice.document(0, "x".repeat(plan.padBytes())).length,
          n,
          settings.inflight(),
          sent,
          accepted,
          tally.rejectedCount(),
          tally.rejectedByCode(),
          Math.max(0, sent - answered),
          errors.count(),
          errors.summary(),
          PubSubRun.round(elapsed, 3),
          PubSubRun.round(accepted / elapsed, 1),
          tally.accepted.latency(),
          settings.serverPid() > 0 ? settings.serverPid() : null,
          cpu == null ? null : PubSubRun.round(cpu, 2),
          cpu == null || accepted == 0 ? null : PubSubRun.round(cpu / accepted * 1e3, 4),
          cpu == null ? null : PubSubRun.round(cpu / sampler.wallSeconds(), 2),
          sampler.serverRssKb(),
          sampler.toolCpuSeconds() == null ? null : PubSubRun.round(sampler.toolCpuSeconds(), 2),
          transport.name,
          settings.threads());
    } finally {
      timers.forEach(t -> t.cancel(false));
      transport.close();
    }
  }

  ErrorLog errors() {
    return errors;
  }

  /** Waits until every measured request is answered or answers stop for the drain timeout. */
  private long drain(long expected) throws InterruptedException {
    long timeout = settings.drainTimeout().toNanos();
    long seen = tally.answeredCount();
    long lastProgress = System.nanoTime();
    while (seen < expected) {
      Thread.sleep(5);
      long now = System.nanoTime();
      long a = tally.answeredCount();
      if (a != seen) {
        seen = a;
        lastProgress = now;
      } else if (now - lastProgress > timeout) {
        break;
      }
    }
    return seen;
  }
}
