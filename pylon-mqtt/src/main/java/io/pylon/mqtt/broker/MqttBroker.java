package io.pylon.mqtt.broker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.traffic.GlobalChannelTrafficShapingHandler;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.session.SessionRegistry;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.spi.PublishOrigin;
import io.pylon.mqtt.topic.TopicRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT broker: sessions, subscriptions, retained messages and the connection state machine,
 * independent of how bytes arrive (TCP, TLS, WebSocket) and of who decides access.
 *
 * <p>Lifecycle: construct with {@link BrokerOptions}, {@link #start()} to recover stored state, let
 * listeners call {@link #initPipeline} for each accepted channel, and {@link #shutdown} to
 * disconnect clients and store what must survive. The server module owns sockets and TLS.
 */
public final class MqttBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MqttBroker.class);
  private static final long SESSION_FLUSH_INTERVAL_MILLIS = 1000;
  private static final long THROUGHPUT_CHECK_MILLIS = 250;

  private final BrokerOptions options;
  private final ScheduledExecutorService lifecycle;
  private final BrokerCore core;
  private final ByteCounter byteCounter;
  private final Set<MqttConnectionHandler> connections = ConcurrentHashMap.newKeySet();
  private final Map<ListenerSettings, TopicRules> topicRules = new ConcurrentHashMap<>();
  private final Map<ListenerSettings, GlobalChannelTrafficShapingHandler> shapers =
      new ConcurrentHashMap<>();
  private volatile boolean started;
  private volatile boolean stopped;

  public MqttBroker(BrokerOptions options) {
    this.options = options;
    this.lifecycle =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pylon-sessions");
              t.setDaemon(true);
              return t;
            });
    this.core =
        new BrokerCore(
            options,
            (tree, metrics, persistence) ->
                new SessionRegistry(
                    tree, lifecycle, options.clock(), metrics.drops, persistence::sessionEnded));
    this.byteCounter = new ByteCounter(core.metrics.bytesIn, core.metrics.bytesOut);
  }

  /**
   * Recovers retained messages and persistent sessions from the store. Must run before listeners
   * accept connections.
   *
   * @param restoreRules topic rules used to re-validate stored subscriptions (the most permissive
   *     profile in use)
   * @param maxQueued queue bound for recovered sessions
   */
  public synchronized void start(TopicRules restoreRules, int maxQueued) {
    if (started) {
      return;
    }
    List<RetainedMessage> retained = options.store().retained().loadAll();
    core.retained.restore(retained);
    var stored = options.store().sessions().loadAll();
    core.sessions.restore(stored, restoreRules, maxQueued);
    core.persistence.start(core.sessions, SESSION_FLUSH_INTERVAL_MILLIS);
    started = true;
    log.info(
        "broker state recovered: {} retained messages, {} persistent sessions",
        retained.size(),
        core.sessions.size());
  }

  /** Starts with permissive re-validation; for tests and embedding. */
  public void start() {
    BrokerLimits mqtt = BrokerLimits.mqtt();
    start(
        new TopicRules(mqtt.maxTopicLength(), mqtt.maxTopicLevels(), true),
        mqtt.maxQueuedMessages());
  }

  /** Registers a listener's metrics before its first connection, so a fresh server exports them. */
  public void registerListener(ListenerSettings listener) {
    core.metrics.connections(listener.name());
  }

  /**
   * Adds the MQTT codec and connection handler to a pipeline whose transport (TCP, TLS, WebSocket
   * framing) is already in place.
   */
  public void initPipeline(ChannelPipeline pipeline, ListenerSettings listener) {
    BrokerLimits limits = listener.limits();
    Channel channel = pipeline.channel();
    channel
        .config()
        .setWriteBufferWaterMark(
            new WriteBufferWaterMark(limits.maxOutboundBytes() / 2, limits.maxOutboundBytes()));
    TopicRules rules =
        topicRules.computeIfAbsent(
            listener,
            l ->
                new TopicRules(
                    l.limits().maxTopicLength(),
                    l.limits().maxTopicLevels(),
                    l.limits().allowOtherDollarTopics()));
    MqttConnectionHandler handler = new MqttConnectionHandler(core, listener, rules);
    pipeline.addLast("mqtt-bytes", byteCounter);
    if (limits.maxBytesPerSecond() > 0) {
      // AWS IoT delays, not drops, traffic beyond a connection's throughput quota: reading pauses
      // while the inbound rate is exceeded, and writes wait, which makes the channel unwritable
      // so that the session's back-pressure rules (QoS 0 dropped, QoS 1 queued) apply.
      pipeline.addLast("mqtt-throughput", throughputShaper(listener));
    }
    pipeline.addLast(
        "mqtt-decoder", new MqttDecoder(limits.maxPacketSize(), limits.maxClientIdLength(), true));
    pipeline.addLast("mqtt-encoder", MqttEncoder.INSTANCE);
    // Acknowledgements and deliveries written while a read batch is processed go out with one
    // flush (one syscall) at the end of the batch instead of one per packet. Outside reads (a
    // session's drain task) a flush goes out at once: the drain already writes its whole batch
    // before flushing, and deferring the flush to a later task only made a fan-out's first
    // subscribers wait for the last (bench/README.md, fan-out).
    pipeline.addLast(
        "mqtt-flush",
        new FlushConsolidationHandler(
            FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, false));
    pipeline.addLast("mqtt", handler);
    connections.add(handler);
    channel.closeFuture().addListener(f -> connections.remove(handler));
    if (stopped) {
      channel.close();
    }
  }

  /**
   * One shaper per listener: it accounts every connection of the listener in a single periodic
   * task, where a shaper per connection would schedule a task per connection.
   */
  private GlobalChannelTrafficShapingHandler throughputShaper(ListenerSettings listener) {
    return shapers.computeIfAbsent(
        listener,
        l -> {
          int perChannel = l.limits().maxBytesPerSecond();
          GlobalChannelTrafficShapingHandler shaper =
              new GlobalChannelTrafficShapingHandler(
                  lifecycle, 0, 0, perChannel, perChannel, THROUGHPUT_CHECK_MILLIS);
          // Writes held back by the shaper count against the same outbound bound as the socket.
          shaper.setMaxWriteSize(l.limits().maxOutboundBytes());
          return shaper;
        });
  }

  /**
   * Publishes a message from the server itself (shadows, jobs, lifecycle events, REST publish):
   * retained state, subscribers and listeners see it as if a client had published it. The caller
   * has authorized it.
   */
  public void publish(ApplicationMessage message) {
    publish(
        message,
        message.publisherClientId() == null
            ? PublishOrigin.SERVER
            : new PublishOrigin(message.publisherClientId(), Principal.ANONYMOUS, null));
  }

  /**
   * Publishes a message on behalf of someone outside MQTT (a REST Publish call, a rule's
   * republish), so that rules see who it came from. The caller has authorized it.
   */
  public void publish(ApplicationMessage message, PublishOrigin origin) {
    core.metrics.messagesIn[message.qos().value()].increment();
    core.metrics.payloadBytesIn[message.qos().value()].add(message.payload().length);
    core.accept(message, origin);
  }

  /** The retained message of a topic, or null. */
  public ApplicationMessage retained(String topic) {
    RetainedMessage retained = core.retained.get(topic);
    return retained == null ? null : retained.message();
  }

  /**
   * The retained message of a topic with the time it was stored, or null; expired messages are kept
   * until replaced, so callers that must not show them check {@link ApplicationMessage#isExpired}.
   */
  public RetainedMessage retainedEntry(String topic) {
    return core.retained.get(topic);
  }

  /** All retained messages in topic order. */
  public List<ApplicationMessage> retainedMessages() {
    return core.retained.all().stream().map(RetainedMessage::message).toList();
  }

  /** All retained messages in topic order, with the times they were stored. */
  public List<RetainedMessage> retainedEntries() {
    return core.retained.all();
  }

  /**
   * The broker's clock, in epoch millis; what message expiry and retained times are measured by.
   */
  public long nowMillis() {
    return options.clock().millis();
  }

  /**
   * Disconnects every client whose authenticated principal matches (MQTT 5: DISCONNECT 0x87 not
   * authorized; lifecycle reason FORBIDDEN_ACCESS), for example the connections of a certificate
   * that was just revoked. Connections still authenticating are closed too once their principal is
   * known. Returns at once; the disconnects happen on the connections' event loops.
   */
  public void disconnect(java.util.function.Predicate<Principal> principal) {
    for (MqttConnectionHandler handler : connections) {
      handler.disconnectIf(principal);
    }
  }

  /** Number of connections currently open (including those not yet past CONNECT). */
  public int connectionCount() {
    return connections.size();
  }

  /**
   * Disconnects every client (MQTT 5: reason 0x8B, server shutting down), waits for them to close
   * up to {@code grace}, then writes persistent sessions and retained messages to the store.
   */
  public synchronized void shutdown(Duration grace) {
    if (stopped) {
      return;
    }
    stopped = true;
    CountDownLatch closed = new CountDownLatch(connections.size());
    for (MqttConnectionHandler handler : connections) {
      handler.channel().closeFuture().addListener(f -> closed.countDown());
      handler.shutdown();
    }
    try {
      if (!closed.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} connections did not close within {}", closed.getCount(), grace);
      }
      // Detaches run on the lifecycle thread; let them finish before the final snapshot.
      lifecycle.submit(() -> {}).get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      Thread.currentThread().interrupt();
    }
    if (started) {
      core.persistence.shutdown();
    }
    for (GlobalChannelTrafficShapingHandler shaper : shapers.values()) {
      shaper.release();
    }
    lifecycle.shutdownNow();
    log.info("broker stopped");
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(10));
  }

  public BrokerOptions options() {
    return options;
  }
}
