package io.pylon.mqtt.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import io.pylon.mqtt.broker.BrokerLimits;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.ListenerSettings;
import io.pylon.mqtt.broker.MqttBroker;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.store.MemoryBrokerStore;
import io.pylon.mqtt.store.StoredSession;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Drives the broker's real pipeline (byte counter, {@code MqttDecoder}, {@code MqttEncoder},
 * connection handler, sessions, topic tree) with a million valid, mutated and random packets on
 * embedded channels, both profiles, MQTT 3.1, 3.1.1 and 5.
 *
 * <p>Each connection sends a CONNECT (sometimes a broken one), waits for the broker's session
 * lifecycle thread, then a stream of packets written in random chunkings. Most packets are valid,
 * because a broken one usually ends the connection: a mostly-valid stream gets deep into the
 * connected state, where most of the code is, and the broken ones then hit that state.
 *
 * <p>Checked for every connection: nothing escapes the pipeline as an exception, nothing reaches
 * past the handler, everything the broker sends decodes as well-formed MQTT of the negotiated
 * version, an open channel is either connected or still guarded by the CONNECT timeout (and closes
 * when time runs out), a connection that only ever sent well-formed packets still answers a
 * PINGREQ, and every buffer allocated for it is released when it is closed. Checked per broker (one
 * every 2,000 connections): no connection left counted, and the topic tree holds exactly the
 * subscriptions of the persistent sessions that were stored. Checked once at the end: Netty's leak
 * detector (paranoid in the build) logged no leak.
 *
 * <p>{@code -Dfuzz.seed=} and {@code -Dfuzz.cases=} change the run; {@code -Dfuzz.only=N} replays
 * connection N of a seed alone. Connection N's packets depend only on the seed and N.
 */
class PacketFuzzTest {

  private static final long DEFAULT_SEED = 0x5EED_F022L;
  private static final long DEFAULT_CASES = 1_000_000L;

  /**
   * A fresh broker every so many connections: fuzzed clients leave retained messages, persistent
   * sessions and subscriptions behind, and an ever-growing broker would slow the run down
   * quadratically.
   */
  private static final int CONNECTIONS_PER_BROKER = 2_000;

  /**
   * Share of packets after CONNECT that are broken, in thousandths: mutated (82% of them), random
   * bytes (12%), a second CONNECT (5%), a 140 KB PUBLISH (1%: it costs as much as a thousand
   * others). Most broken packets end the connection, so this trades depth (packets per connection)
   * for breadth; {@code -Dfuzz.brokenPerMille=} changes it.
   */
  private static final int BROKEN_PER_MILLE = Integer.getInteger("fuzz.brokenPerMille", 140);

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void random_and_mutated_packets_never_escape_leak_or_hang() throws Exception {
    long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
    long target = Long.getLong("fuzz.cases", DEFAULT_CASES);
    long only = Long.getLong("fuzz.only", -1);
    System.out.printf(
        Locale.ROOT,
        "PacketFuzzTest: seed=%d cases=%d leak detection=%s (override with -Dfuzz.seed="
            + " -Dfuzz.cases=, replay one connection with -Dfuzz.only=)%n",
        seed,
        target,
        ResourceLeakDetector.getLevel());

    Stats stats = new Stats();
    long started = System.nanoTime();
    try (LeakLog leakLog = new LeakLog()) {
      assertThat(leakLog.wired()).as("Netty's leak logger reaches the capturing appender").isTrue();
      PacketCorpus corpus = new PacketCorpus(seed);
      Harness harness = null;
      try {
        for (long index = only >= 0 ? only : 0; stats.cases < target; index++) {
          if (harness == null || stats.connections % CONNECTIONS_PER_BROKER == 0) {
            if (harness != null) {
              harness.close();
            }
            harness = new Harness(stats);
          }
          new Connection(harness, corpus, seed, index, stats).run();
          if (only >= 0) {
            break;
          }
        }
        if (harness != null) {
          harness.close();
        }
      } catch (Throwable failure) {
        // The broker's bookkeeping checks would fail too after a failed connection and hide the
        // first failure: stop without them.
        if (harness != null) {
          harness.broker.shutdown(Duration.ofSeconds(1));
        }
        throw failure;
      } finally {
        corpus.close();
      }
      stats.elapsedNanos = System.nanoTime() - started;
      List<String> leaks = leakLog.leaksAfterGc();
      System.out.println(stats.report());
      assertThat(leaks)
          .as(
              "Netty leak reports (the access records name the code that leaked; it"
                  + " may be an earlier test in this JVM)")
          .isEmpty();
    }
    if (only < 0) {
      assertThat(stats.cases).isGreaterThanOrEqualTo(target);
      // The fuzzer must not be trivially refused at the first byte: most packets must reach a
      // connection that completed CONNECT.
      assertThat(stats.casesPastConnect)
          .as("cases delivered after a successful CONNECT")
          .isGreaterThan(stats.cases / 2);
      assertThat(stats.mutated + stats.random).as("broken packets").isGreaterThan(stats.cases / 20);
    }
  }

  /**
   * The two leak checks above must not pass vacuously: a buffer that is not released has to show up
   * in the allocator audit at once, and in Netty's leak log after a GC.
   */
  @Test
  @Timeout(60)
  void leak_checks_catch_a_deliberate_leak() throws Exception {
    FuzzChannel.TrackingAllocator allocator = new FuzzChannel.TrackingAllocator();
    ByteBuf kept = allocator.buffer(8);
    allocator.buffer(8).release();
    assertThat(allocator.unreleasedAndReset()).containsExactly(kept);
    kept.release();

    ResourceLeakDetector.Level previous = ResourceLeakDetector.getLevel();
    // Paranoid tracks every buffer; at the default level this one might not be sampled.
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    try (LeakLog leakLog = new LeakLog()) {
      leakOneBuffer();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
      boolean seen = false;
      while (!seen && System.nanoTime() < deadline) {
        seen = leakLog.sawDeliberateLeakAfterGc();
      }
      assertThat(seen).as("Netty reported the deliberately leaked buffer").isTrue();
    } finally {
      ResourceLeakDetector.setLevel(previous);
    }
  }

  /** In its own frame, so that nothing on the test's stack keeps the buffer reachable. */
  private static void leakOneBuffer() {
    PooledByteBufAllocator.DEFAULT.buffer(16).writeInt(42).touch(LeakLog.DELIBERATE);
  }

  /**
   * A channel whose peer address is not an InetSocketAddress (EmbeddedChannel, LocalChannel, a Unix
   * domain socket) must be served like any other. BrokerCore.transportInfo used to cast the address
   * to InetSocketAddress, which failed every CONNECT on such a channel with a ClassCastException
   * and closed it without CONNACK; TransportInfo takes any SocketAddress.
   */
  @Test
  @Timeout(30)
  void connect_is_answered_on_a_channel_without_an_inet_address() throws Exception {
    try (Harness harness = new Harness()) {
      EmbeddedChannel channel =
          new EmbeddedChannel(
              new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                  harness.broker.initPipeline(ch.pipeline(), harness.mqtt);
                }
              });
      PacketCorpus corpus = new PacketCorpus(1);
      try {
        channel.writeInbound(
            channel.alloc().buffer().writeBytes(corpus.connectBytes(4, "plain", true, 60, false)));
        harness.awaitLifecycle();
        channel.runPendingTasks();
        ByteBuf connack = channel.readOutbound();
        assertThat(connack).as("CONNACK").isNotNull();
        try {
          assertThat(connack.getUnsignedByte(0)).isEqualTo((short) 0x20);
          assertThat(connack.getUnsignedByte(3)).as("return code").isZero();
        } finally {
          connack.release();
        }
      } finally {
        channel.finishAndReleaseAll();
        corpus.close();
      }
    }
  }

  // ---------------------------------------------------------------- one connection

  /** One fuzzed connection from CONNECT to close. */
  private static final class Connection {
    private final Harness harness;
    private final PacketCorpus corpus;
    private final Stats stats;
    private final long index;
    private final long connectionSeed;
    private final Random random;
    private final Mutator mutator;
    private final Profile profile;
    private final int version;
    private final FuzzChannel.TrackingAllocator allocator = new FuzzChannel.TrackingAllocator();
    private final FuzzChannel channel;

    /** What was sent lately, for the failure message. */
    private final ArrayDeque<String> recent = new ArrayDeque<>();

    private int connAckCode = -1;
    private boolean weClosed;

    /** Set when the first packet was a well-formed CONNECT, so the negotiated version is known. */
    private OutboundChecker checker;

    /** Whether anything but well-formed packets was sent; only then may the framing be off. */
    private boolean broken;

    private int pingResponses;

    Connection(Harness harness, PacketCorpus corpus, long seed, long index, Stats stats) {
      this.harness = harness;
      this.corpus = corpus;
      this.stats = stats;
      this.index = index;
      this.connectionSeed = new Random(seed ^ (index * 0x9E3779B97F4A7C15L)).nextLong();
      this.random = new Random(connectionSeed);
      this.mutator = new Mutator(random);
      this.profile = random.nextBoolean() ? Profile.AWS : Profile.MQTT;
      corpus.reseed(connectionSeed, profile == Profile.AWS);
      int v = random.nextInt(20);
      this.version = v == 0 ? 3 : v < 10 ? 4 : 5;
      ListenerSettings listener = profile == Profile.AWS ? harness.aws : harness.mqtt;
      this.channel =
          new FuzzChannel(
              new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                  ch.config().setAllocator(allocator);
                  harness.broker.initPipeline(ch.pipeline(), listener);
                }
              });
    }

    void run() {
      stats.connections++;
      try {
        connect();
        stream();
        checkConsistentWhileOpen();
        closeAndAudit();
      } catch (Throwable t) {
        try {
          channel.finishAndReleaseAll();
          if (checker != null) {
            checker.close();
          }
        } catch (RuntimeException ignored) {
          // Already failing; the close is only to release what the channel holds.
        }
        throw new AssertionError(describe("failed"), t);
      }
    }

    private void connect() {
      // Unique ids: AWS throttles reconnects of one id, and a shared id would mean takeovers. Empty
      // ids (the broker assigns one) are not allowed in MQTT 3.1.
      String clientId =
          random.nextInt(10) == 0 && version > 3 ? "" : "f" + Long.toString(index, 36);
      boolean cleanStart = random.nextInt(10) != 0;
      int keepAlive = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(600);
      byte[] connect =
          corpus.connectBytes(version, clientId, cleanStart, keepAlive, random.nextInt(5) == 0);
      ByteArrayOutputStream first = new ByteArrayOutputStream();
      List<Integer> starts = new ArrayList<>();
      int f = random.nextInt(100);
      starts.add(0);
      if (f < 88) {
        first.writeBytes(connect);
        checker = new OutboundChecker(connect);
        note("CONNECT v" + version);
        stats.valid++;
        if (random.nextInt(10) == 0) {
          // Pipelined: packets right behind CONNECT arrive while it is being authenticated.
          stats.pipelined++;
          for (int n = 1 + random.nextInt(40); n > 0; n--) {
            starts.add(first.size());
            first.writeBytes(nextUnit());
          }
        }
      } else {
        stats.firstPacketFuzzed++;
        broken = true;
        if (f < 95) {
          Mutator.Kind kind = mutator.randomKind();
          first.writeBytes(mutator.mutate(kind, connect, corpus.next(version)));
          note("CONNECT " + kind);
          stats.mutated++;
          stats.mutations[kind.ordinal()]++;
        } else if (f < 98) {
          first.writeBytes(mutator.randomBytes());
          note("random bytes");
          stats.random++;
        } else {
          first.writeBytes(corpus.next(version));
          note("not a CONNECT");
          stats.valid++;
        }
      }
      deliver(first.toByteArray(), starts, false);
      // Authentication and the session attach finish on the broker's lifecycle thread.
      harness.awaitLifecycle();
      channel.runPendingTasks();
      drainOutbound();
    }

    private void stream() {
      int budget = 10 + random.nextInt(random.nextInt(8) == 0 ? 600 : 120);
      int sent = 0;
      while (sent < budget && channel.isOpen()) {
        ByteArrayOutputStream group = new ByteArrayOutputStream();
        List<Integer> starts = new ArrayList<>();
        for (int n = 1 + random.nextInt(6); n > 0 && sent + starts.size() < budget; n--) {
          starts.add(group.size());
          group.writeBytes(nextUnit());
        }
        sent += starts.size();
        deliver(group.toByteArray(), starts, connAckCode == 0);
        channel.runPendingTasks();
        drainOutbound();
      }
    }

    /** The next packet after CONNECT: mostly valid, sometimes broken, rarely a second CONNECT. */
    private byte[] nextUnit() {
      int k = random.nextInt(1000);
      if (k >= BROKEN_PER_MILLE) {
        stats.valid++;
        byte[] unit = corpus.next(version);
        note("valid " + typeName(unit));
        return unit;
      }
      broken = true;
      if (k < BROKEN_PER_MILLE * 82 / 100) {
        Mutator.Kind kind = mutator.randomKind();
        byte[] base = corpus.next(version);
        stats.mutated++;
        stats.mutations[kind.ordinal()]++;
        note(kind + " of " + typeName(base));
        return mutator.mutate(kind, base, corpus.next(version));
      } else if (k < BROKEN_PER_MILLE * 94 / 100) {
        stats.random++;
        note("random bytes");
        return mutator.randomBytes();
      } else if (k < BROKEN_PER_MILLE * 99 / 100) {
        stats.duplicateConnects++;
        note("second CONNECT");
        return corpus.connectBytes(version, "dup", true, 30, false);
      } else {
        stats.oversized++;
        note("oversized PUBLISH");
        return corpus.oversized(version);
      }
    }

    /**
     * Writes the bytes of several packets in random chunks (down to single bytes), stopping when
     * the broker closes the channel. A packet counts as a case once its first byte was written.
     */
    private void deliver(byte[] bytes, List<Integer> starts, boolean pastConnect) {
      int[] cuts = chunking(bytes.length);
      int written = 0;
      for (int cut : cuts) {
        if (!channel.isOpen()) {
          break;
        }
        ByteBuf chunk =
            channel.alloc().buffer(cut - written).writeBytes(bytes, written, cut - written);
        stats.bytesIn += cut - written;
        channel.writeInbound(chunk);
        written = cut;
      }
      int delivered = 0;
      for (int start : starts) {
        if (start < written) {
          delivered++;
        }
      }
      stats.cases += delivered;
      if (pastConnect) {
        stats.casesPastConnect += delivered;
      }
    }

    /** End offsets of the chunks: mostly one write, often a few, sometimes byte by byte. */
    private int[] chunking(int length) {
      int r = random.nextInt(100);
      if (length <= 1 || r < 60) {
        return new int[] {length};
      }
      if (r < 95) {
        int chunks = 2 + random.nextInt(Math.min(4, length - 1));
        int[] cuts = new int[chunks];
        for (int i = 0; i < chunks - 1; i++) {
          cuts[i] = random.nextInt(length + 1);
        }
        cuts[chunks - 1] = length;
        java.util.Arrays.sort(cuts);
        return cuts;
      }
      // Byte by byte at the start, so that every decoder state sees its input end.
      int single = Math.min(length - 1, 64);
      int[] cuts = new int[single + 1];
      for (int i = 0; i < single; i++) {
        cuts[i] = i + 1;
      }
      cuts[single] = length;
      return cuts;
    }

    private void drainOutbound() {
      Object out;
      while ((out = channel.readOutbound()) != null) {
        try {
          if (out instanceof ByteBuf && ((ByteBuf) out).isReadable()) {
            ByteBuf buf = (ByteBuf) out;
            int type = buf.getUnsignedByte(buf.readerIndex()) >> 4;
            stats.outbound[type]++;
            if (type == 13) {
              pingResponses++;
            }
            if (type == 2 && connAckCode < 0) {
              connAckCode = connAckCode(buf);
              if (connAckCode == 0) {
                stats.accepted++;
              } else {
                stats.refused++;
              }
            }
            if (checker != null) {
              checker.check(buf);
            }
          } else {
            throw new AssertionError("unexpected outbound message " + out);
          }
        } finally {
          ReferenceCountUtil.release(out);
        }
      }
    }

    private static int connAckCode(ByteBuf buf) {
      int i = buf.readerIndex() + 1;
      while ((buf.getByte(i) & 0x80) != 0) {
        i++;
      }
      return buf.getUnsignedByte(i + 2);
    }

    /**
     * An open channel must be in a state that ends by itself: connected (keep-alive or the client
     * ends it), or not yet connected and guarded by the CONNECT timeout, which must then fire.
     */
    private void checkConsistentWhileOpen() {
      harness.awaitLifecycle();
      channel.runPendingTasks();
      drainOutbound();
      channel.checkException();
      assertThat(channel.inboundMessages()).as("messages that passed the handler").isEmpty();
      if (!channel.isOpen()) {
        stats.closedByBroker++;
        return;
      }
      stats.openAtEnd++;
      assertThat(channel.pipeline().get("mqtt")).isNotNull();
      boolean connected = connAckCode == 0;
      if (connected) {
        assertThat(channel.pipeline().get("connect-timeout"))
            .as("connect timeout after CONNACK")
            .isNull();
      } else {
        assertThat(channel.pipeline().get("connect-timeout"))
            .as("connect timeout before CONNACK")
            .isNotNull();
      }
      if (connected && !broken) {
        // Only well-formed packets went in, so the decoder is at a packet boundary: the connection
        // must still be served.
        int before = pingResponses;
        channel.writeInbound(channel.alloc().buffer(2).writeByte(0xC0).writeByte(0));
        channel.runPendingTasks();
        drainOutbound();
        assertThat(pingResponses).as("PINGRESP to a final PINGREQ").isEqualTo(before + 1);
        stats.pingChecks++;
      }
      if (!channel.isOpen()) {
        return;
      }
      // Let an hour pass: enough for the CONNECT timeout and the longest AWS keep-alive (1200 s x
      // 1.5).
      channel.advanceTimeBy(1, TimeUnit.HOURS);
      channel.runScheduledPendingTasks();
      channel.runPendingTasks();
      drainOutbound();
      if (!connected || profile == Profile.AWS) {
        assertThat(channel.isOpen())
            .as("open after the connect timeout / keep-alive expired")
            .isFalse();
        stats.timedOut++;
      }
    }

    private void closeAndAudit() {
      weClosed = channel.isOpen();
      channel.close();
      channel.runPendingTasks();
      drainOutbound();
      channel.finishAndReleaseAll();
      if (checker != null) {
        checker.close();
      }
      List<ByteBuf> leaked = allocator.unreleasedAndReset();
      if (!leaked.isEmpty()) {
        String detail =
            leaked.size()
                + " buffer(s) not released, first: "
                + leaked.get(0)
                + " refCnt="
                + leaked.get(0).refCnt();
        for (ByteBuf b : leaked) {
          ReferenceCountUtil.safeRelease(b, b.refCnt());
        }
        throw new AssertionError(detail);
      }
    }

    /**
     * Decodes what the broker sends as a client of the negotiated version would, and checks that it
     * is well-formed: the broker must stay correct towards the client whatever the client sent.
     */
    private final class OutboundChecker {
      private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1 << 24, 65_535));

      OutboundChecker(byte[] connect) {
        // The decoder takes the protocol version for what follows from this CONNECT.
        decoder.writeInbound(Unpooled.wrappedBuffer(connect));
        ReferenceCountUtil.release(decoder.readInbound());
      }

      void check(ByteBuf packet) {
        decoder.writeInbound(packet.retainedDuplicate());
        MqttMessage message;
        while ((message = decoder.readInbound()) != null) {
          try {
            verify(message);
          } finally {
            ReferenceCountUtil.release(message);
          }
        }
      }

      private void verify(MqttMessage message) {
        stats.outboundVerified++;
        assertThat(message.decoderResult().isSuccess())
            .as("broker sent a malformed packet: %s", message.decoderResult().cause())
            .isTrue();
        MqttFixedHeader fixed = message.fixedHeader();
        switch (fixed.messageType()) {
          case PUBLISH:
            MqttPublishVariableHeader header = ((MqttPublishMessage) message).variableHeader();
            int maxQos = profile == Profile.AWS ? 1 : 2;
            assertThat(fixed.qosLevel().value())
                .as("QoS of an outbound PUBLISH")
                .isLessThanOrEqualTo(maxQos);
            if (fixed.qosLevel().value() > 0) {
              assertThat(header.packetId())
                  .as("packet id of a QoS > 0 PUBLISH")
                  .isBetween(1, 0xFFFF);
            }
            if (header.topicName().isEmpty()) {
              assertThat(
                      version == 5
                          && header.properties().getProperty(MqttProperties.TOPIC_ALIAS) != null)
                  .as("an empty topic needs an MQTT 5 topic alias")
                  .isTrue();
            }
            break;
          case DISCONNECT:
          case AUTH:
            assertThat(version)
                .as("%s from the server exists in MQTT 5 only", fixed.messageType())
                .isEqualTo(5);
            break;
          case CONNACK:
            if (version < 5) {
              assertThat(
                      ((MqttConnAckMessage) message)
                          .variableHeader()
                          .connectReturnCode()
                          .byteValue())
                  .as("MQTT 3.1.1 CONNACK return code")
                  .isBetween((byte) 0, (byte) 5);
            }
            break;
          case SUBACK:
            if (version < 5) {
              assertThat(((MqttSubAckMessage) message).payload().reasonCodes())
                  .as("MQTT 3.1.1 SUBACK return codes")
                  .allMatch(c -> c <= 2 || c == 0x80);
            }
            break;
          default:
            break;
        }
      }

      void close() {
        decoder.finishAndReleaseAll();
      }
    }

    private void note(String what) {
      if (recent.size() == 12) {
        recent.removeFirst();
      }
      recent.addLast(what);
    }

    private String describe(String what) {
      return String.format(
          Locale.ROOT,
          "connection %d (seed %d, replay with -Dfuzz.only=%d) %s: profile %s,"
              + " MQTT v%d, CONNACK %d, closed by %s; last packets: %s",
          index,
          connectionSeed,
          index,
          what,
          profile,
          version,
          connAckCode,
          weClosed ? "us" : "broker",
          recent);
    }

    private static String typeName(byte[] packet) {
      return PACKET_TYPES[(packet[0] & 0xF0) >> 4];
    }
  }

  private static final String[] PACKET_TYPES = {
    "RESERVED",
    "CONNECT",
    "CONNACK",
    "PUBLISH",
    "PUBACK",
    "PUBREC",
    "PUBREL",
    "PUBCOMP",
    "SUBSCRIBE",
    "SUBACK",
    "UNSUBSCRIBE",
    "UNSUBACK",
    "PINGREQ",
    "PINGRESP",
    "DISCONNECT",
    "AUTH"
  };

  // ---------------------------------------------------------------- broker

  /** A started broker, its two listeners and a way to wait for its session lifecycle thread. */
  static final class Harness implements AutoCloseable {
    final MemoryBrokerStore store = new MemoryBrokerStore();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final MqttBroker broker =
        new MqttBroker(BrokerOptions.permissive().withStore(store).withMeters(meters));
    final ListenerSettings aws = listener(Profile.AWS);
    final ListenerSettings mqtt = listener(Profile.MQTT);
    private final Supplier<Boolean> lifecycleBarrier;
    private Stats stats;

    Harness() {
      broker.start();
      lifecycleBarrier = lifecycleBarrier(broker);
    }

    Harness(Stats stats) {
      this();
      this.stats = stats;
    }

    /**
     * Connections arrive far faster here than in any real flood, so only the per-listener flood
     * guard is lifted; every protocol limit is the profile's default.
     */
    private static ListenerSettings listener(Profile profile) {
      BrokerLimits limits =
          profile.defaultLimits().toBuilder().set("max-connects-per-second", "10000000").build();
      return new ListenerSettings(
          "fuzz-" + profile.name().toLowerCase(Locale.ROOT), profile, limits, true, true, false);
    }

    /**
     * Waits until the lifecycle thread has run everything submitted so far. Its tasks complete the
     * CONNECT by posting to the channel's event loop; an EmbeddedChannel's task queue is not
     * thread-safe, so rather than polling it while that thread may post, we wait for the thread to
     * be done (a happens-before edge) and only then run the channel's tasks.
     */
    void awaitLifecycle() {
      if (!lifecycleBarrier.get()) {
        throw new AssertionError("session lifecycle thread did not drain within 5 s (hang?)");
      }
    }

    /**
     * MqttBroker does not expose its lifecycle executor; reflection reaches it. Without it we fall
     * back to a short wait, which only makes the fuzzer less effective, never wrong.
     */
    private static Supplier<Boolean> lifecycleBarrier(MqttBroker broker) {
      for (Field field : MqttBroker.class.getDeclaredFields()) {
        if (ExecutorService.class.isAssignableFrom(field.getType())) {
          try {
            field.setAccessible(true);
            ExecutorService executor = (ExecutorService) field.get(broker);
            return () -> {
              try {
                executor.submit(() -> {}).get(5, TimeUnit.SECONDS);
                return true;
              } catch (java.util.concurrent.TimeoutException e) {
                return false;
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            };
          } catch (ReflectiveOperationException | RuntimeException e) {
            break;
          }
        }
      }
      System.out.println(
          "PacketFuzzTest: MqttBroker lifecycle executor not found; waiting instead");
      return () -> {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return true;
      };
    }

    /**
     * With every connection closed, the broker's bookkeeping must be back to what persistent
     * sessions explain: no connection counted anywhere, and no subscription in the topic tree that
     * does not belong to a stored session (a session that ended must take its subscriptions out of
     * the tree).
     */
    @Override
    public void close() {
      awaitLifecycle();
      assertThat(broker.connectionCount()).as("connections still registered").isZero();
      for (Gauge g : meters.find("pylon.mqtt.connections").gauges()) {
        assertThat(g.value()).as("connected gauge of %s", g.getId().getTag("listener")).isZero();
      }
      broker.shutdown(Duration.ofSeconds(5));
      long now = System.currentTimeMillis();
      double treeSize = meters.get("pylon.mqtt.subscriptions").gauge().value();
      long stored = 0;
      long storedNotExpirable = 0;
      for (StoredSession s : store.sessions().loadAll()) {
        if (s.disconnectedAtMillis() == 0) {
          // Written while connected and never again: the session ended without storage being
          // told (see SessionRegistryTest). Not in the registry, so not in the tree either.
          if (stats != null) {
            stats.staleStoredSessions++;
          }
          continue;
        }
        stored += s.subscriptions().size();
        boolean mayHaveExpired =
            s.expiryIntervalSeconds() != BrokerLimits.NEVER_EXPIRES
                && s.disconnectedAtMillis() + s.expiryIntervalSeconds() * 1000 <= now;
        if (!mayHaveExpired) {
          storedNotExpirable += s.subscriptions().size();
        }
      }
      // A session expiring between the final store flush and the lifecycle thread's stop leaves
      // the store but not the tree; hence a range, exact when nothing could expire.
      assertThat((long) treeSize)
          .as("subscriptions in the topic tree vs. stored persistent sessions")
          .isBetween(storedNotExpirable, stored);
      if (stats != null) {
        stats.persistentSubscriptions += stored;
      }
    }
  }

  // ---------------------------------------------------------------- statistics

  static final class Stats {
    long cases;
    long valid;
    long mutated;
    long random;
    long duplicateConnects;
    long oversized;
    final long[] mutations = new long[Mutator.Kind.values().length];
    long connections;
    long firstPacketFuzzed;
    long pipelined;
    long accepted;
    long refused;
    long casesPastConnect;
    long closedByBroker;
    long openAtEnd;
    long timedOut;
    long bytesIn;
    long pingChecks;
    long outboundVerified;
    long staleStoredSessions;
    long persistentSubscriptions;
    final long[] outbound = new long[16];
    long elapsedNanos;

    String report() {
      StringBuilder sb = new StringBuilder();
      double seconds = elapsedNanos / 1e9;
      sb.append(
          String.format(
              Locale.ROOT,
              "PacketFuzzTest: %,d cases in %.1f s (%,.0f/s), %,d bytes," + " %,d connections%n",
              cases,
              seconds,
              cases / seconds,
              bytesIn,
              connections));
      sb.append(
          String.format(
              Locale.ROOT,
              "  packets: %,d valid, %,d mutated, %,d random, %,d second"
                  + " CONNECTs, %,d oversized%n",
              valid,
              mutated,
              random,
              duplicateConnects,
              oversized));
      sb.append("  mutations:");
      for (Mutator.Kind k : Mutator.Kind.values()) {
        sb.append(String.format(Locale.ROOT, " %s=%,d", k, mutations[k.ordinal()]));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%n  connections: %,d CONNACK accepted, %,d refused, %,d first packet fuzzed, %,d"
                  + " pipelined; %,d closed by the broker, %,d open at the end (%,d of them closed"
                  + " by timeout)%n",
              accepted,
              refused,
              firstPacketFuzzed,
              pipelined,
              closedByBroker,
              openAtEnd,
              timedOut));
      sb.append(
          String.format(
              Locale.ROOT,
              "  cases past CONNECT: %,d (%.1f%%); %,d clean connections answered a final PINGREQ;"
                  + " %,d subscriptions of persistent sessions reconciled with the topic tree; %,d"
                  + " stale stored sessions%n",
              casesPastConnect,
              100.0 * casesPastConnect / Math.max(1, cases),
              pingChecks,
              persistentSubscriptions,
              staleStoredSessions));
      sb.append(
          String.format(
              Locale.ROOT,
              "  broker sent (%,d of them decoded and checked as the" + " client would):",
              outboundVerified));
      for (int i = 0; i < 16; i++) {
        if (outbound[i] > 0) {
          sb.append(String.format(Locale.ROOT, " %s=%,d", PACKET_TYPES[i], outbound[i]));
        }
      }
      return sb.toString();
    }
  }
}
