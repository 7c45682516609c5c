package io.pylon.bench;

import io.netty.buffer.ByteBuf;
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
 * One message scenario from connect to report: subscribers connect and subscribe, publishers
 * connect, a warm-up runs unmeasured, the measured phase runs until its message budget or duration
 * is spent, then the run drains until every measured message arrived or deliveries stop for {@code
 * --drain-timeout}.
 *
 * <p>"Measured" is decided by the send time in the payload: a message counts if it was sent after
 * the warm-up ended, on both the publishing and the receiving side, so the two totals compare like
 * for like and their difference is the loss.
 */
final class PubSubRun {

  /** Fixed parameters of the traffic phase, shared by publishers and receivers. */
  record Plan(
      int qos,
      boolean mqtt5,
      int payloadBytes,
      int window,
      int fanout,
      long startNanos,
      long measureStartNanos,
      long sendDeadlineNanos,
      double ratePerPublisherPerNano,
      long stallWriteOffNanos) {

    boolean paced() {
      return ratePerPublisherPerNano > 0;
    }
  }

  /**
   * A window with no delivery progress for this long is presumed lost (QoS 0 drops), see {@link
   * Publisher}.
   */
  private static final long STALL_WRITE_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final long PACED_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long PEAK_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final LoadSettings settings;
  private final Topology topology;
  private final ErrorLog errors = new ErrorLog();
  private final ReceiverStats.Registry receivers = new ReceiverStats.Registry();
  private volatile Plan plan;
  private volatile Publisher[] publishers;

  PubSubRun(LoadSettings settings, Topology topology) {
    this.settings = settings;
    this.topology = topology;
  }

  RunResult.Messages run() throws Exception {
    String startedAt = Instant.now().toString();
    String base = "bench/" + settings.clientIdPrefix();
    String idPrefix = settings.clientIdPrefix() + "-" + topology.scenario();
    List<MqttConnection> all = new ArrayList<>();
    List<ScheduledFuture<?>> timers = new ArrayList<>();
    Transport transport = new Transport(settings);
    try {
      Connector connector = new Connector(transport, settings, errors);
      long connectTimeout = Connector.connectTimeoutNanos(topology.connections());

      Connector.Outcome subs =
          connector.connect(topology.subscribers(), i -> idPrefix + "-s" + i, connectTimeout);
      all.addAll(subs.attempted());
      requireAll(subs, "subscribers");
      Receiver receiver = new Receiver();
      List<CompletableFuture<Void>> subAcks = new ArrayList<>();
      for (int i = 0; i < subs.connected().size(); i++) {
        MqttConnection c = subs.connected().get(i);
        c.listener(receiver);
        subAcks.add(c.subscribe(topology.subscribeFilter(base, i), settings.qos()));
      }
      try {
        CompletableFuture.allOf(subAcks.toArray(CompletableFuture[]::new))
            .get(connectTimeout, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        throw new IOException("subscribing failed: " + String.join("; ", errors.summary()), e);
      }

      Connector.Outcome pubs =
          connector.connect(topology.publishers(), i -> idPrefix + "-p" + i, connectTimeout);
      all.addAll(pubs.attempted());
      requireAll(pubs, "publishers");

      long start = System.nanoTime();
      long measureStart = start + settings.warmup().toNanos();
      Plan p =
          new Plan(
              settings.qos(),
              settings.version() == MqttVersion.MQTT_5,
              settings.payloadBytes(),
              settings.inflight(),
              topology.deliveriesPerPublish(),
              start,
              measureStart,
              measureStart + settings.duration().toNanos(),
              settings.rate() / topology.publishers() / 1e9,
              STALL_WRITE_OFF_NANOS);
      Publisher[] pubArray = new Publisher[topology.publishers()];
      Map<EventLoop, List<Publisher>> byLoop = new LinkedHashMap<>();
      for (int i = 0; i < pubArray.length; i++) {
        MqttConnection c = pubs.connected().get(i);
        // Spread each publisher's fixed-rate schedule over the period so publishers do not fire in
        // lockstep.
        pubArray[i] =
            new Publisher(
                i,
                c,
                p,
                topology.publishTopic(base, i),
                budget(settings.messages(), pubArray.length, i),
                (double) i / pubArray.length);
        byLoop.computeIfAbsent(c.channel().eventLoop(), l -> new ArrayList<>()).add(pubArray[i]);
      }
      // Receivers read plan first: once they see it, the publishers written before it are visible
      // too.
      publishers = pubArray;
      plan = p;

      long tick = p.paced() ? PACED_TICK_NANOS : PEAK_TICK_NANOS;
      Ticking.schedulePerLoop(byLoop, tick, timers);
      Ticking.schedulePings(transport, settings.keepAliveSeconds(), all, timers);
      for (Publisher pub : pubArray) {
        pub.start();
      }

      Ticking.sleepUntil(measureStart);
      Sampler sampler = new Sampler(settings.serverPid());
      sampler.begin();

      long publishDeadline = p.sendDeadlineNanos() + TimeUnit.SECONDS.toNanos(2);
      while (!Ticking.allDone(pubArray) && System.nanoTime() - publishDeadline < 0) {
        Thread.sleep(10);
      }
      long published = 0;
      long writeOffs = 0;
      for (Publisher pub : pubArray) {
        published += pub.measuredSent();
      }
      long expected = published * topology.deliveriesPerPublish();
      long delivered = drain(expected);
      sampler.end();
      long last = receivers.lastMeasuredNanos();
      double elapsed = (last == 0 ? sampler.endNanos : last) - measureStart;
      elapsed = Math.max(elapsed, 1) / 1e9;

      timers.forEach(t -> t.cancel(false));
      Connector.disconnectAll(all, TimeUnit.SECONDS.toNanos(10));
      transport.close();
      for (Publisher pub : pubArray) {
        writeOffs += pub.writeOffs();
      }

      boolean peak = settings.peak();
      Double cpu = sampler.serverCpuSeconds();
      return new RunResult.Messages(
          topology.scenario(),
          settings.label(),
          peak ? "peak" : "fixed",
          startedAt,
          settings.protocolName(),
          settings.qos(),
          settings.payloadBytes(),
          topology.publishers(),
          topology.subscribers(),
          settings.inflight(),
          settings.rate(),
          published,
          expected,
          delivered,
          Math.max(0, expected - delivered),
          errors.count(),
          errors.summary(),
          round(elapsed, 3),
          round(delivered / elapsed, 1),
          round(published / elapsed, 1),
          receivers.latency(),
          settings.serverPid() > 0 ? settings.serverPid() : null,
          cpu == null ? null : round(cpu, 2),
          cpu == null || delivered == 0 ? null : round(cpu / delivered * 1e6, 3),
          cpu == null ? null : round(cpu / sampler.wallSeconds(), 2),
          sampler.serverRssKb(),
          sampler.toolCpuSeconds() == null ? null : round(sampler.toolCpuSeconds(), 2),
          writeOffs,
          transport.name,
          settings.threads());
    } finally {
      timers.forEach(t -> t.cancel(false));
      transport.close();
    }
  }

  /** Waits until every expected delivery arrived or deliveries stop for the drain timeout. */
  private long drain(long expected) throws InterruptedException {
    long timeout = settings.drainTimeout().toNanos();
    long seen = receivers.measuredDeliveries();
    long lastProgress = System.nanoTime();
    while (seen < expected) {
      Thread.sleep(5);
      long now = System.nanoTime();
      long d = receivers.measuredDeliveries();
      if (d != seen) {
        seen = d;
        lastProgress = now;
      } else if (now - lastProgress > timeout) {
        break;
      }
    }
    return seen;
  }

  private void requireAll(Connector.Outcome outcome, String role) throws IOException {
    if (outcome.failed() > 0) {
      throw new IOException(
          outcome.failed()
              + " of "
              + outcome.attempted().size()
              + " "
              + role
              + " could not connect: "
              + String.join("; ", errors.summary()));
    }
  }

  ErrorLog errors() {
    return errors;
  }

  /**
   * The messages of the measured phase, spread over publishers (the first ones take the remainder).
   */
  static long budget(long messages, int publishers, int index) {
    return messages / publishers + (index < messages % publishers ? 1 : 0);
  }

  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  /**
   * Shared by every subscriber: attributes each delivery to its publisher and records its latency.
   */
  private final class Receiver implements MqttConnection.Listener {
    @Override
    public void onPublish(MqttConnection connection, ByteBuf payload) {
      long now = System.nanoTime();
      Plan p = plan;
      Publisher[] pubs = publishers;
      if (!Payload.valid(payload)) {
        errors.record("payload shorter than the " + Payload.HEADER_BYTES + "-byte header");
        return;
      }
      int index = Payload.publisher(payload);
      if (p == null || index < 0 || index >= pubs.length) {
        errors.record("message from an unknown publisher");
        return;
      }
      long sentAt = Payload.sentNanos(payload);
      if (sentAt - p.measureStartNanos() >= 0) {
        receivers.current().recordMeasured(now, sentAt);
      }
      pubs[index].onDelivered();
    }
  }

  /** Server CPU/RSS (from /proc) and tool CPU at the start and end of the measured phase. */
  static final class Sampler {
    private final long pid;
    private ProcStats.Sample serverBegin;
    private ProcStats.Sample serverEnd;
    private long toolBegin;
    private long toolEnd;
    private long beginNanos;
    long endNanos;

    Sampler(long pid) {
      this.pid = pid;
    }

    void begin() {
      beginNanos = System.nanoTime();
      toolBegin = CpuClock.processCpuNanos();
      serverBegin = read();
    }

    void end() {
      endNanos = System.nanoTime();
      toolEnd = CpuClock.processCpuNanos();
      serverEnd = read();
    }

    double wallSeconds() {
      return Math.max(1, endNanos - beginNanos) / 1e9;
    }

    Double serverCpuSeconds() {
      return serverBegin == null || serverEnd == null
          ? null
          : serverEnd.cpuSecondsSince(serverBegin);
    }

    Long serverRssKb() {
      return serverEnd == null ? null : serverEnd.rssKb();
    }

    Double toolCpuSeconds() {
      return toolBegin < 0 || toolEnd < 0 ? null : (toolEnd - toolBegin) / 1e9;
    }

    private ProcStats.Sample read() {
      if (pid <= 0) {
        return null;
      }
      try {
        return ProcStats.sample(pid);
      } catch (IOException e) {
        return null;
      }
    }
  }
}
