package io.pylon.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.util.ReferenceCountUtil;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.ListenerSettings;
import io.pylon.mqtt.broker.MqttBroker;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.session.Delivery;
import io.pylon.mqtt.session.DropCounters;
import io.pylon.mqtt.session.Session;
import io.pylon.mqtt.session.SessionConnection;
import io.pylon.mqtt.session.SessionRegistry;
import io.pylon.mqtt.topic.SharedGroup;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicRules;
import io.pylon.mqtt.topic.TopicTree;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One PUBLISH from a client to N subscribers, without sockets, in two depths.
 *
 * <ul>
 *   <li>{@code pipeline}: the bytes of an MQTT 3.1.1 PUBLISH enter the broker's own pipeline
 *       ({@code MqttBroker.initPipeline}: byte counter, MqttDecoder, connection handler) on an
 *       EmbeddedChannel, are validated, authorized and routed, and every subscriber's connection
 *       drains its session and encodes the PUBLISH with MqttEncoder. Everything but the socket and
 *       the event-loop hand-offs.
 *   <li>{@code routeAndDrain}: the broker core alone: TopicTree match, Session.offer, and
 *       Session.drainTo into a writer that only counts. The difference to {@code pipeline} is what
 *       decoding, the handler and encoding cost.
 * </ul>
 *
 * <p>Subscriptions are QoS 0, so no in-flight window needs acknowledging; with {@code qos=1} the
 * publisher's PUBLISH is QoS 1 and costs a PUBACK. Time is per PUBLISH, so divide by the number of
 * subscribers for the cost per delivery.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishPathBenchmark {

  private static final String TOPIC = "dt/fleet-1/dev-7/telemetry";
  private static final String FILTER = "dt/fleet-1/+/telemetry";
  private static final int PAYLOAD_BYTES = 64;

  // ---------------------------------------------------------------- full pipeline

  /** A started broker with N connected, subscribed clients and one publisher, all embedded. */
  @State(Scope.Benchmark)
  public static class Pipeline {

    @Param({"1", "10", "100"})
    public int subscribers;

    @Param({"0", "1"})
    public int qos;

    MqttBroker broker;
    EmbeddedChannel publisher;
    EmbeddedChannel[] subscriberChannels;

    /**
     * The encoded PUBLISH; each operation feeds a retained duplicate, which the decoder releases.
     */
    ByteBuf publish;

    private EmbeddedChannel encoder;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      broker = new MqttBroker(BrokerOptions.permissive());
      broker.start();
      // The MQTT profile has no per-connection publish rate limit, which would otherwise be
      // measured.
      ListenerSettings listener =
          new ListenerSettings(
              "bench", Profile.MQTT, Profile.MQTT.defaultLimits(), true, true, false);
      encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
      subscriberChannels = new EmbeddedChannel[subscribers];
      for (int i = 0; i < subscribers; i++) {
        EmbeddedChannel channel = connect(listener, "sub-" + i);
        channel.writeInbound(encode(subscribe()));
        expect(channel, MqttMessageType.SUBACK);
        subscriberChannels[i] = channel;
      }
      publisher = connect(listener, "pub");
      ByteBuf encoded =
          encode(
              new MqttPublishMessage(
                  new MqttFixedHeader(
                      MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), false, 0),
                  new MqttPublishVariableHeader(
                      TOPIC, qos == 0 ? -1 : 1, MqttProperties.NO_PROPERTIES),
                  Unpooled.wrappedBuffer(new byte[PAYLOAD_BYTES])));
      publish = Unpooled.copiedBuffer(encoded);
      encoded.release();

      int delivered = publishOnce();
      if (delivered != subscribers) {
        throw new IllegalStateException("a PUBLISH reached " + delivered + " of " + subscribers);
      }
    }

    int publishOnce() {
      publisher.writeInbound(publish.retainedDuplicate());
      int delivered = 0;
      for (EmbeddedChannel channel : subscriberChannels) {
        // Runs the drain the router scheduled on this subscriber's event loop.
        channel.runPendingTasks();
        delivered += releaseOutbound(channel);
      }
      releaseOutbound(publisher);
      return delivered;
    }

    private EmbeddedChannel connect(ListenerSettings listener, String clientId)
        throws InterruptedException {
      EmbeddedChannel channel =
          new EmbeddedChannel(
              new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                  broker.initPipeline(ch.pipeline(), listener);
                }
              });
      channel.writeInbound(
          encode(
              new MqttConnectMessage(
                  new MqttFixedHeader(
                      MqttMessageType.CONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                  new MqttConnectVariableHeader("MQTT", 4, false, false, false, 0, false, true, 0),
                  new MqttConnectPayload(clientId, null, (byte[]) null, null, null))));
      // CONNACK comes from the broker's session thread: poll for it. Setup only.
      for (int i = 0; i < 5_000; i++) {
        channel.runPendingTasks();
        ByteBuf connAck = channel.readOutbound();
        if (connAck != null) {
          try {
            if (connAck.getByte(0) != 0x20 || connAck.getByte(3) != 0) {
              throw new IllegalStateException("CONNECT of " + clientId + " refused");
            }
          } finally {
            connAck.release();
          }
          return channel;
        }
        Thread.sleep(1);
      }
      throw new IllegalStateException("no CONNACK for " + clientId);
    }

    private static MqttSubscribeMessage subscribe() {
      return new MqttSubscribeMessage(
          new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
          new MqttMessageIdAndPropertiesVariableHeader(1, MqttProperties.NO_PROPERTIES),
          new MqttSubscribePayload(
              List.of(
                  new MqttTopicSubscription(
                      FILTER, MqttSubscriptionOption.onlyFromQos(MqttQoS.AT_MOST_ONCE)))));
    }

    private ByteBuf encode(MqttMessage message) {
      encoder.writeOutbound(message);
      return encoder.readOutbound();
    }

    private static void expect(EmbeddedChannel channel, MqttMessageType type) {
      ByteBuf reply = channel.readOutbound();
      if (reply == null || (reply.getUnsignedByte(0) >> 4) != type.value()) {
        ReferenceCountUtil.release(reply);
        throw new IllegalStateException("expected " + type);
      }
      reply.release();
    }

    private static int releaseOutbound(EmbeddedChannel channel) {
      int n = 0;
      Object out;
      while ((out = channel.readOutbound()) != null) {
        ReferenceCountUtil.release(out);
        n++;
      }
      return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      publisher.finishAndReleaseAll();
      for (EmbeddedChannel channel : subscriberChannels) {
        channel.finishAndReleaseAll();
      }
      encoder.finishAndReleaseAll();
      publish.release();
      broker.shutdown(Duration.ofSeconds(5));
    }
  }

  @Benchmark
  public int pipeline(Pipeline state) {
    return state.publishOnce();
  }

  // ---------------------------------------------------------------- broker core only

  /** Sessions attached to connections that only remember that they were asked to drain. */
  @State(Scope.Benchmark)
  public static class Core implements TopicTree.Visitor<Session> {

    @Param({"1", "10", "100"})
    public int subscribers;

    final TopicTree<Session> tree = new TopicTree<>();
    final ArrayDeque<WakeUp> toDrain = new ArrayDeque<>();
    final CountingWriter writer = new CountingWriter();
    ApplicationMessage message;
    private ScheduledExecutorService lifecycle;

    /** A connection as the session sees it: asked to drain, it queues itself for the benchmark. */
    final class WakeUp implements SessionConnection {
      Session session;

      @Override
      public void scheduleDrain() {
        toDrain.add(this);
      }

      @Override
      public boolean isWritable() {
        return true;
      }

      @Override
      public void sessionTakenOver() {}
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      lifecycle = Executors.newSingleThreadScheduledExecutor();
      SessionRegistry registry =
          new SessionRegistry(tree, lifecycle, Clock.systemUTC(), new DropCounters(), id -> {});
      TopicFilter filter = new TopicRules(256, 8, false).parseFilter(FILTER);
      SubscriptionOptions options = SubscriptionOptions.ofQos(0);
      for (int i = 0; i < subscribers; i++) {
        WakeUp connection = new WakeUp();
        connection.session =
            registry
                .attach("sub-" + i, true, 0, 1_000, connection)
                .get(5, TimeUnit.SECONDS)
                .session();
        connection.session.subscribe(filter, options);
        tree.subscribe(filter, connection.session, options);
      }
      message =
          new ApplicationMessage(
              TOPIC,
              new byte[PAYLOAD_BYTES],
              Qos.AT_MOST_ONCE,
              false,
              MessageProperties.NONE,
              0,
              "pub");
    }

    @Override
    public void subscription(Session session, SubscriptionOptions options) {
      session.offer(
          new Delivery(
              message, Math.min(options.qos(), message.qos().value()), false, Delivery.NO_IDS));
    }

    @Override
    public void sharedGroup(SharedGroup<Session> group) {
      throw new IllegalStateException("no shared subscriptions here");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      lifecycle.shutdownNow();
    }
  }

  /** Counts PUBLISHes instead of encoding them. */
  static final class CountingWriter implements Session.Writer {
    int written;

    @Override
    public boolean isWritable() {
      return true;
    }

    @Override
    public int sendQuota() {
      return 65_535;
    }

    @Override
    public boolean writePublish(Delivery delivery, int packetId, boolean dup) {
      written++;
      return true;
    }

    @Override
    public void writePubRel(int packetId) {}

    @Override
    public void flush() {}
  }

  @Benchmark
  public int routeAndDrain(Core state) {
    state.tree.match(TOPIC, state);
    long now = System.currentTimeMillis();
    int before = state.writer.written;
    Core.WakeUp connection;
    while ((connection = state.toDrain.poll()) != null) {
      connection.session.drainTo(connection, state.writer, now);
    }
    return state.writer.written - before;
  }
}
