package io.pylon.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.ScheduledFuture;
import io.pylon.http.sigv4.AwsCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The rules scenario: publishers send through a server running topic rules, and the tool receives
 * what the rules make of the messages, on MQTT (republish) and on a local HTTP sink (http action).
 * With {@code --rules 0} it is the baseline: the same publishes, no rules, the subscriber taking
 * the input topics directly.
 *
 * <p>Phases as in {@link PubSubRun}, around them the rules' life: start the {@link HttpSink}; over
 * the REST API create a destination for it, confirm it with the token the server POSTs to the sink,
 * enable it; create the rules ({@link RuleSet}); connect one subscriber and the publishers; warm
 * up; measure; drain; disconnect; delete the rules and the destination (also after a failure).
 *
 * <p>Every message matches exactly one rule, whose output carries the payload's send time and
 * publisher index: a message counts as delivered, and reopens its publisher's window, when its
 * republished copy reaches the subscriber or its HTTP request reaches the sink. Both are in this
 * process, so both latencies come from one clock.
 */
final class RulesRun {

  static final String SCENARIO = "rules";

  /**
   * How a failed baseline run's failure starts, so that reports can tell it from one with rules.
   */
  static final String BASELINE_FAILURE = "baseline: ";

  /** Where and as whom the REST API is called; null fields are fine without rules. */
  record Rest(int port, Path caFile, String accessKeyId, String secretAccessKey, String region) {}

  private static final long STALL_WRITE_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long PACED_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long PEAK_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

  private final LoadSettings settings;
  private final int rules;
  private final int topics;
  private final RuleSet.Actions actions;
  private final Rest rest;
  private final int sinkThreads;
  private final ErrorLog errors = new ErrorLog();
  private final ReceiverStats.Registry subscriberStats = new ReceiverStats.Registry();
  private final ReceiverStats.Registry sinkStats = new ReceiverStats.Registry();
  private volatile PubSubRun.Plan plan;
  private volatile Publisher[] publishers;

  RulesRun(
      LoadSettings settings,
      int rules,
      int topics,
      RuleSet.Actions actions,
      Rest rest,
      int sinkThreads) {
    this.settings = settings;
    this.rules = rules;
    this.actions = actions;
    this.topics = topics;
    this.rest = rest;
    this.sinkThreads = sinkThreads;
  }

  ErrorLog errors() {
    return errors;
  }

  RunResult.Rules run() throws Exception {
    String startedAt = Instant.now().toString();
    int n = settings.clients();
    RuleSet probe =
        new RuleSet(settings.clientIdPrefix(), rules, topics, settings.qos(), actions, null);
    HttpSink sink = probe.httpRules() > 0 ? new HttpSink(sinkThreads, this::onSinkRequest) : null;
    RuleSet set =
        new RuleSet(
            settings.clientIdPrefix(),
            rules,
            topics,
            settings.qos(),
            actions,
            sink == null ? null : sink.baseUrl());
    IotRestClient api = rules > 0 ? client() : null;
    List<String> created = new ArrayList<>();
    String destination = null;
    List<ScheduledFuture<?>> timers = new ArrayList<>();
    Transport transport = new Transport(settings);
    try {
      if (sink != null) {
        destination = api.createTopicRuleDestination(set.destinationRequest());
        String token = sink.confirmationToken().get(HANDSHAKE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
        api.confirmTopicRuleDestination(token);
        api.enableTopicRuleDestination(destination);
      }
      for (int i = 0; i < rules; i++) {
        api.createTopicRule(set.ruleName(i), set.topicRulePayload(i));
        created.add(set.ruleName(i));
      }

      String idPrefix = settings.clientIdPrefix() + "-" + SCENARIO;
      List<MqttConnection> all = new ArrayList<>();
      Connector connector = new Connector(transport, settings, errors);
      long connectTimeout = Connector.connectTimeoutNanos(n + 1);
      Connector.Outcome subs = connector.connect(1, i -> idPrefix + "-s" + i, connectTimeout);
      all.addAll(subs.attempted());
      requireAll(subs, "subscriber");
      MqttConnection subscriber = subs.connected().get(0);
      subscriber.listener(
          new MqttConnection.Listener() {
            @Override
            public void onPublish(MqttConnection connection, ByteBuf payload) {
              received(subscriberStats, System.nanoTime(), payload);
            }
          });
      try {
        subscriber
            .subscribe(set.subscribeFilter(), settings.qos())
            .get(connectTimeout, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        throw new IOException("subscribing failed: " + String.join("; ", errors.summary()), e);
      }
      Connector.Outcome pubs = connector.connect(n, i -> idPrefix + "-p" + i, connectTimeout);
      all.addAll(pubs.attempted());
      requireAll(pubs, "publishers");

      long start = System.nanoTime();
      long measureStart = start + settings.warmup().toNanos();
      PubSubRun.Plan p =
          new PubSubRun.Plan(
              settings.qos(),
              settings.version() == MqttVersion.MQTT_5,
              settings.payloadBytes(),
              settings.inflight(),
              1,
              start,
              measureStart,
              measureStart + settings.duration().toNanos(),
              settings.rate() / n / 1e9,
              STALL_WRITE_OFF_NANOS);
      Publisher[] group = new Publisher[n];
      Map<EventLoop, List<Publisher>> byLoop = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        MqttConnection c = pubs.connected().get(i);
        group[i] =
            new Publisher(
                i,
                c,
                p,
                set.inputTopics(i),
                RulePayload.FORMAT,
                PubSubRun.budget(settings.messages(), n, i),
                (double) i / n);
        byLoop.computeIfAbsent(c.channel().eventLoop(), l -> new ArrayList<>()).add(group[i]);
      }
      publishers = group;
      plan = p;
      long tick = p.paced() ? PACED_TICK_NANOS : PEAK_TICK_NANOS;
      Ticking.schedulePerLoop(byLoop, tick, timers);
      Ticking.schedulePings(transport, settings.keepAliveSeconds(), all, timers);
      for (Publisher pub : group) {
        pub.start();
      }

      Ticking.sleepUntil(measureStart);
      PubSubRun.Sampler sampler = new PubSubRun.Sampler(settings.serverPid());
      Map<String, Double> countersBefore = scrape(api);
      sampler.begin();
      long publishDeadline = p.sendDeadlineNanos() + TimeUnit.SECONDS.toNanos(2);
      while (!Ticking.allDone(group) && System.nanoTime() - publishDeadline < 0) {
        Thread.sleep(10);
      }
      long published = 0;
      for (Publisher pub : group) {
        published += pub.measuredSent();
      }
      long delivered = drain(published);
      sampler.end();
      Map<String, Double> countersAfter = countersBefore == null ? null : scrape(api);
      long last = later(subscriberStats.lastMeasuredNanos(), sinkStats.lastMeasuredNanos());
      double elapsed = Math.max((last == 0 ? sampler.endNanos : last) - measureStart, 1) / 1e9;

      timers.forEach(t -> t.cancel(false));
      Connector.disconnectAll(all, TimeUnit.SECONDS.toNanos(10));
      transport.close();
      if (sink != null) {
        sink.close(); // its threads end here, so their histograms may be read
      }
      long writeOffs = 0;
      for (Publisher pub : group) {
        writeOffs += pub.writeOffs();
      }
      long toSubscriber = subscriberStats.measuredDeliveries();
      long toSink = sinkStats.measuredDeliveries();
      Map<String, Long> counters =
          countersAfter == null ? null : RuleCounters.delta(countersBefore, countersAfter);
      Double cpu = sampler.serverCpuSeconds();
      return new RunResult.Rules(
          SCENARIO,
          settings.label(),
          settings.peak() ? "peak" : "fixed",
          startedAt,
          settings.protocolName(),
          settings.qos(),
          settings.payloadBytes(),
          n,
          rules,
          set.republishRules(),
          set.httpRules(),
          topics,
          settings.inflight(),
          settings.rate(),
          published,
          toSubscriber,
          toSink,
          delivered,
          Math.max(0, published - delivered),
          errors.count(),
          errors.summary(),
          PubSubRun.round(elapsed, 3),
          PubSubRun.round(published / elapsed, 1),
          PubSubRun.round(toSubscriber / elapsed, 1),
          PubSubRun.round(toSink / elapsed, 1),
          PubSubRun.round(delivered / elapsed, 1),
          subscriberStats.latency(),
          toSink == 0 ? null : sinkStats.latency(),
          counters,
          counters == null ? null : RuleCounters.failures(counters),
          settings.serverPid() > 0 ? settings.serverPid() : null,
          cpu == null ? null : PubSubRun.round(cpu, 2),
          cpu == null || published == 0 ? null : PubSubRun.round(cpu / published * 1e3, 4),
          cpu == null ? null : PubSubRun.round(cpu / sampler.wallSeconds(), 2),
          sampler.serverRssKb(),
          sampler.toolCpuSeconds() == null ? null : PubSubRun.round(sampler.toolCpuSeconds(), 2),
          writeOffs,
          transport.name,
          settings.threads());
    } finally {
      timers.forEach(t -> t.cancel(false));
      transport.close();
      if (sink != null) {
        sink.close();
      }
      cleanUp(api, created, destination);
    }
  }

  /** Deletes what the run created; a failure here is reported, never thrown over the result. */
  private void cleanUp(IotRestClient api, List<String> created, String destination) {
    if (api == null) {
      return;
    }
    for (String name : created) {
      try {
        api.deleteTopicRule(name);
      } catch (IOException e) {
        errors.record("DeleteTopicRule failed: " + MqttConnection.rootMessage(e));
      }
    }
    if (destination != null) {
      try {
        api.deleteTopicRuleDestination(destination);
      } catch (IOException e) {
        errors.record("DeleteTopicRuleDestination failed: " + MqttConnection.rootMessage(e));
      }
    }
  }

  private IotRestClient client() throws IOException {
    if (rest == null
        || rest.caFile() == null
        || rest.accessKeyId() == null
        || rest.accessKeyId().isBlank()
        || rest.secretAccessKey() == null
        || rest.secretAccessKey().isBlank()) {
      throw new IOException(
          "rules need the REST API: --rest-cafile, --access-key-id and --secret-access-key");
    }
    return new IotRestClient(
        settings.host(),
        rest.port(),
        rest.caFile(),
        new AwsCredentials(rest.accessKeyId(), rest.secretAccessKey()),
        rest.region());
  }

  /** The rules engine's counters now, or null when the server has none to show. */
  private Map<String, Double> scrape(IotRestClient api) {
    if (api == null) {
      return null;
    }
    try {
      return RuleCounters.parse(api.metrics());
    } catch (IOException e) {
      errors.record("metrics scrape failed: " + MqttConnection.rootMessage(e));
      return null;
    }
  }

  private void onSinkRequest(long receivedNanos, byte[] body) {
    received(sinkStats, receivedNanos, Unpooled.wrappedBuffer(body));
  }

  /** One rule output (or, without rules, one message) back at the tool. */
  private void received(ReceiverStats.Registry stats, long now, ByteBuf payload) {
    PubSubRun.Plan p = plan;
    Publisher[] pubs = publishers;
    RulePayload.Header h = RulePayload.find(payload);
    if (h == null) {
      errors.record("a rule output without the payload's \"pb\" member");
      return;
    }
    if (p == null || h.publisher() < 0 || h.publisher() >= pubs.length) {
      errors.record("a message from an unknown publisher");
      return;
    }
    if (h.sentNanos() - p.measureStartNanos() >= 0) {
      stats.current().recordMeasured(now, h.sentNanos());
    }
    pubs[h.publisher()].onDelivered();
  }

  private long drain(long expected) throws InterruptedException {
    long timeout = settings.drainTimeout().toNanos();
    long seen = measured();
    long lastProgress = System.nanoTime();
    while (seen < expected) {
      Thread.sleep(5);
      long now = System.nanoTime();
      long d = measured();
      if (d != seen) {
        seen = d;
        lastProgress = now;
      } else if (now - lastProgress > timeout) {
        break;
      }
    }
    return seen;
  }

  private long measured() {
    return subscriberStats.measuredDeliveries() + sinkStats.measuredDeliveries();
  }

  /** The later of two {@code nanoTime} readings, 0 meaning none. */
  static long later(long a, long b) {
    return a == 0 ? b : b == 0 ? a : b - a > 0 ? b : a;
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
}
