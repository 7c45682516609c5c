package io.pylon.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One publishing connection: sends as fast as its in-flight window allows, or at its share of a
 * fixed rate.
 *
 * <p>Design notes. The window is end to end: a message counts as in flight from its write until
 * every subscriber it fans out to has received it (and, for QoS 1/2, until the server acknowledged
 * it). That keeps "peak" honest: the server must deliver what it accepts, and neither side's
 * buffers grow without bound.
 *
 * <p>Threading: everything except {@link #onDelivered} runs on the publisher's event loop.
 * Receivers run on any loop; they bump {@code delivered} and, only when the publisher has declared
 * itself stalled and enough window has opened, schedule one pump on its loop. Setting {@code
 * stalled} and then re-reading the credit (publisher), against incrementing {@code delivered} and
 * then reading {@code stalled} (receiver), means one of the two always sees the other, so no
 * wake-up is lost.
 *
 * <p>QoS 0 messages can be dropped by an overloaded server; the window would then never reopen. The
 * watchdog in {@link #tick} writes off deliveries that have not progressed for a while; the run
 * still reports them as lost, because loss is counted from the measured totals, not from the
 * window.
 */
final class Publisher implements MqttConnection.Listener, Ticking {

  /**
   * Messages written per pump before yielding the loop, so that reads (acks, deliveries) keep
   * flowing.
   */
  private static final int MAX_BATCH = 64;

  final int index;
  private final Channel channel;
  private final PubSubRun.Plan plan;
  private final byte[][] topics;
  private final PayloadFormat format;
  private final long budget;
  private final double phase;
  private final byte[] payload;
  private final long wakeThreshold;
  private final Runnable pumpTask = this::pump;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong measuredSent = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicBoolean stalled = new AtomicBoolean();
  private volatile long writtenOff;
  private volatile boolean done;
  private long acknowledged;
  private int nextPacketId = 1;
  private long watchedDelivered = -1;
  private long watchedSinceNanos;
  private long writeOffs;

  Publisher(
      int index,
      MqttConnection connection,
      PubSubRun.Plan plan,
      String topic,
      long budget,
      double phase) {
    this(index, connection, plan, new String[] {topic}, PayloadFormat.BINARY, budget, phase);
  }

  /**
   * @param topics where the messages go, in turn: message {@code n} of publisher {@code i} to
   *     {@code topics[(i + n) % topics.length]}, so that publishers spread over the topics
   */
  Publisher(
      int index,
      MqttConnection connection,
      PubSubRun.Plan plan,
      String[] topics,
      PayloadFormat format,
      long budget,
      double phase) {
    this.index = index;
    this.channel = connection.channel();
    this.plan = plan;
    this.topics = new byte[topics.length][];
    for (int i = 0; i < topics.length; i++) {
      this.topics[i] = topics[i].getBytes(StandardCharsets.UTF_8);
    }
    this.format = format;
    this.budget = budget;
    this.phase = phase;
    this.payload = format.template(plan.payloadBytes());
    this.wakeThreshold = Math.max(1, plan.window() / 2);
    connection.listener(this);
  }

  @Override
  public boolean done() {
    return done;
  }

  long measuredSent() {
    return measuredSent.get();
  }

  long writeOffs() {
    return writeOffs;
  }

  void start() {
    channel.eventLoop().execute(pumpTask);
  }

  /** A subscriber (on any thread) received one of this publisher's messages. */
  void onDelivered() {
    long d = delivered.incrementAndGet();
    if (stalled.get() && deliveryCredit(d) >= wakeThreshold && stalled.compareAndSet(true, false)) {
      channel.eventLoop().execute(pumpTask);
    }
  }

  @Override
  public void onPublishAcknowledged(MqttConnection connection) {
    acknowledged++;
    if (stalled.get() && credit() >= wakeThreshold && stalled.compareAndSet(true, false)) {
      channel.eventLoop().execute(pumpTask);
    }
  }

  @Override
  public void onWritable(MqttConnection connection) {
    if (!stalled.get()) {
      pump();
    }
  }

  /**
   * Periodic, on the publisher's loop: pacing for fixed-rate runs, deadline and stall checks for
   * all.
   */
  @Override
  public void tick(long now) {
    if (done) {
      return;
    }
    if (now - plan.sendDeadlineNanos() >= 0 || !channel.isActive()) {
      finish();
      return;
    }
    if (!stalled.get()) {
      if (plan.paced()) {
        pump();
      }
      return;
    }
    long d = delivered.get();
    if (d != watchedDelivered) {
      watchedDelivered = d;
      watchedSinceNanos = now;
    } else if (now - watchedSinceNanos > plan.stallWriteOffNanos()) {
      long undelivered = sent.get() * plan.fanout() - d - writtenOff;
      if (undelivered > 0) {
        writtenOff += undelivered;
        writeOffs++;
      }
      watchedDelivered = -1;
      if (stalled.compareAndSet(true, false)) {
        pump();
      }
    }
  }

  private void pump() {
    if (done) {
      return;
    }
    long now = System.nanoTime();
    if (now - plan.sendDeadlineNanos() >= 0 || !channel.isActive()) {
      finish();
      return;
    }
    int batch = 0;
    while (batch < MAX_BATCH) {
      if (measuredSent.get() >= budget) {
        finish();
        break;
      }
      if (!channel.isWritable() || (plan.paced() && due(now) <= 0)) {
        break;
      }
      if (credit() <= 0) {
        stalled.set(true);
        if (credit() <= 0) {
          break;
        }
        stalled.set(false);
      }
      send(now);
      batch++;
      now = System.nanoTime();
    }
    if (batch > 0) {
      channel.flush();
    }
    if (batch == MAX_BATCH && !done) {
      channel.eventLoop().execute(pumpTask);
    }
  }

  private void send(long now) {
    long seq = sent.get();
    format.writeHeader(payload, now, index, (int) seq);
    int packetId = plan.qos() == 0 ? 0 : nextPacketId();
    byte[] topic = topics.length == 1 ? topics[0] : topics[(int) ((index + seq) % topics.length)];
    ByteBuf packet =
        PublishCodec.encodePublish(
            channel.alloc(), topic, plan.qos(), packetId, payload, plan.mqtt5());
    channel.write(packet, channel.voidPromise());
    sent.lazySet(seq + 1);
    if (now - plan.measureStartNanos() >= 0) {
      measuredSent.lazySet(measuredSent.get() + 1);
    }
  }

  private int nextPacketId() {
    int id = nextPacketId;
    nextPacketId = id == 65_535 ? 1 : id + 1;
    return id;
  }

  /** Messages this publisher may still send before its window is full. */
  private long credit() {
    long c = deliveryCredit(delivered.get());
    if (plan.qos() > 0) {
      c = Math.min(c, plan.window() - (sent.get() - acknowledged));
    }
    return c;
  }

  private long deliveryCredit(long deliveredNow) {
    int fanout = plan.fanout();
    long undelivered = sent.get() * fanout - deliveredNow - writtenOff;
    long inFlight = (undelivered + fanout - 1) / fanout;
    return plan.window() - inFlight;
  }

  /** Fixed-rate schedule: messages due by {@code now} minus those already sent. */
  private long due(long now) {
    return (long) ((now - plan.startNanos()) * plan.ratePerPublisherPerNano() + phase) - sent.get();
  }

  private void finish() {
    if (!done) {
      done = true;
      if (channel.isActive()) {
        channel.flush();
      }
    }
  }
}
