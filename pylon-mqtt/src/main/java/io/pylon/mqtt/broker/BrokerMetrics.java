package io.pylon.mqtt.broker;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pylon.mqtt.session.DropCounters;
import io.pylon.mqtt.session.Session;
import io.pylon.mqtt.session.SessionRegistry;
import io.pylon.mqtt.topic.TopicTree;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's counters, kept as {@link LongAdder}s on the message path and exported to Micrometer
 * as function counters, so that counting costs one uncontended add per message.
 */
final class BrokerMetrics {

  final LongAdder[] messagesIn = {new LongAdder(), new LongAdder(), new LongAdder()};
  final LongAdder[] messagesOut = {new LongAdder(), new LongAdder(), new LongAdder()};
  final LongAdder[] payloadBytesIn = {new LongAdder(), new LongAdder(), new LongAdder()};
  final LongAdder[] payloadBytesOut = {new LongAdder(), new LongAdder(), new LongAdder()};
  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  final LongAdder connectsRefused = new LongAdder();
  final LongAdder protocolErrors = new LongAdder();
  final DropCounters drops = new DropCounters();
  private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  BrokerMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (int qos = 0; qos <= 2; qos++) {
      String q = Integer.toString(qos);
      FunctionCounter.builder("pylon.mqtt.messages.in", messagesIn[qos], LongAdder::doubleValue)
          .description("PUBLISH packets accepted from clients and server components")
          .tag("qos", q)
          .register(registry);
      FunctionCounter.builder("pylon.mqtt.messages.out", messagesOut[qos], LongAdder::doubleValue)
          .description("PUBLISH packets written to clients")
          .tag("qos", q)
          .register(registry);
      FunctionCounter.builder(
              "pylon.mqtt.payload.bytes.in", payloadBytesIn[qos], LongAdder::doubleValue)
          .description("Payload bytes of PUBLISH packets accepted")
          .tag("qos", q)
          .register(registry);
      FunctionCounter.builder(
              "pylon.mqtt.payload.bytes.out", payloadBytesOut[qos], LongAdder::doubleValue)
          .description("Payload bytes of PUBLISH packets written to clients")
          .tag("qos", q)
          .register(registry);
    }
    // No base unit: the names already say bytes, and Prometheus would append it again.
    FunctionCounter.builder("pylon.mqtt.bytes.in", bytesIn, LongAdder::doubleValue)
        .description("MQTT bytes read from clients")
        .register(registry);
    FunctionCounter.builder("pylon.mqtt.bytes.out", bytesOut, LongAdder::doubleValue)
        .description("MQTT bytes written to clients")
        .register(registry);
    FunctionCounter.builder("pylon.mqtt.connects.refused", connectsRefused, LongAdder::doubleValue)
        .description("CONNECTs refused (authentication, authorization, throttling, invalid)")
        .register(registry);
    FunctionCounter.builder("pylon.mqtt.protocol.errors", protocolErrors, LongAdder::doubleValue)
        .description("Connections closed for malformed or illegal packets")
        .register(registry);
    drop("queue_full", drops.queueFull);
    drop("slow_consumer", drops.slowConsumer);
    drop("offline_qos0", drops.offlineQos0);
    drop("expired", drops.expired);
    drop("too_large_for_client", drops.tooLargeForClient);
    drop("not_authorized", drops.notAuthorized);
    drop("rate_limited", drops.rateLimited);
    drop("redelivery_window", drops.redeliveryWindow);
  }

  private void drop(String reason, LongAdder adder) {
    FunctionCounter.builder("pylon.mqtt.messages.dropped", adder, LongAdder::doubleValue)
        .description("Messages not delivered, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  AtomicInteger connections(String listener) {
    return connections.computeIfAbsent(
        listener,
        name -> {
          AtomicInteger value = new AtomicInteger();
          Gauge.builder("pylon.mqtt.connections", value, AtomicInteger::get)
              .description("Open MQTT connections that completed CONNECT")
              .tag("listener", name)
              .register(registry);
          return value;
        });
  }

  void bindState(SessionRegistry sessions, TopicTree<Session> tree, RetainedMessages retained) {
    Gauge.builder("pylon.mqtt.sessions", sessions, SessionRegistry::size).register(registry);
    Gauge.builder("pylon.mqtt.subscriptions", tree, TopicTree::size).register(registry);
    Gauge.builder("pylon.mqtt.retained.messages", retained, RetainedMessages::size)
        .register(registry);
    Gauge.builder("pylon.mqtt.queued.messages", sessions, BrokerMetrics::queued)
        .description("Messages queued in sessions, waiting for the in-flight window or the client")
        .register(registry);
    Gauge.builder("pylon.mqtt.inflight.messages", sessions, BrokerMetrics::inflight)
        .register(registry);
  }

  private static double queued(SessionRegistry sessions) {
    long n = 0;
    for (Session s : sessions.all()) {
      n += s.queuedCount();
    }
    return n;
  }

  private static double inflight(SessionRegistry sessions) {
    long n = 0;
    for (Session s : sessions.all()) {
      n += s.inflightCount();
    }
    return n;
  }
}
