package io.pylon.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * One device of the shadow scenario: updates {@code reported} of its own thing's classic shadow
 * with a {@code clientToken}, keeping at most {@code window} requests unanswered, and matches each
 * answer on {@code /update/accepted} or {@code /update/rejected} to its request by that token.
 *
 * <p>A request counts as measured when it was sent after the warm-up; its latency is from writing
 * the PUBLISH to reading the accepted answer, both on this device's event loop. The device stops
 * sending once its share of the measured budget is sent or the send deadline passed ({@link
 * #done}); answers still arriving after that are counted by the drain of {@link ShadowRun}.
 *
 * <p>Threading: everything runs on the channel's event loop except {@link #done}, which the main
 * thread polls.
 */
final class ShadowDevice implements MqttConnection.Listener, Ticking {

  /** Fixed parameters of the traffic phase, shared by every device. */
  record Plan(
      int qos,
      boolean mqtt5,
      int window,
      int padBytes,
      long measureStartNanos,
      long sendDeadlineNanos) {}

  private final Channel channel;
  private final Plan plan;
  private final byte[] updateTopic;
  private final long budget;
  private final ShadowTally tally;
  private final ErrorLog errors;
  private final Outstanding outstanding;
  private final String pad;
  private final Runnable pumpTask = this::pump;

  private long nextSequence;
  private long measuredSent;
  private int nextPacketId = 1;
  private volatile boolean done;

  ShadowDevice(
      Channel channel,
      String thingName,
      Plan plan,
      long budget,
      ShadowTally tally,
      ErrorLog errors) {
    this.channel = channel;
    this.plan = plan;
    this.updateTopic = updateTopic(thingName).getBytes(StandardCharsets.UTF_8);
    this.budget = budget;
    this.tally = tally;
    this.errors = errors;
    this.outstanding = new Outstanding(plan.window());
    this.pad = "x".repeat(plan.padBytes());
  }

  static String updateTopic(String thingName) {
    return "$aws/things/" + thingName + "/shadow/update";
  }

  /** The answer topics a device subscribes to. */
  static String[] answerFilters(String thingName) {
    return new String[] {
      updateTopic(thingName) + "/accepted", updateTopic(thingName) + "/rejected"
    };
  }

  /**
   * The update document: {@code reported} gets the sequence number and a padding string sized so
   * that the whole document is about {@code payloadBytes}; the client token is the sequence number.
   */
  static byte[] document(long sequence, String pad) {
    String token = ShadowAnswer.tokenOf(sequence);
    return ("{\"state\":{\"reported\":{\"seq\":"
            + sequence
            + ",\"pad\":\""
            + pad
            + "\"}},\"clientToken\":\""
            + token
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Padding that brings the document of a one-digit sequence number to {@code payloadBytes}. */
  static int padFor(int payloadBytes) {
    return Math.max(0, payloadBytes - document(0, "").length);
  }

  @Override
  public boolean done() {
    return done;
  }

  void start() {
    channel.eventLoop().execute(pumpTask);
  }

  /** Periodic, on the device's loop: ends sending at the deadline even if no answer comes. */
  @Override
  public void tick(long now) {
    if (!done && (now - plan.sendDeadlineNanos() >= 0 || !channel.isActive())) {
      done = true;
    }
  }

  @Override
  public void onPublish(MqttConnection connection, ByteBuf payload) {
    long now = System.nanoTime();
    ShadowAnswer answer;
    try {
      if (payload.hasArray()) {
        answer =
            ShadowAnswer.parse(
                payload.array(),
                payload.arrayOffset() + payload.readerIndex(),
                payload.readableBytes());
      } else {
        byte[] bytes = ByteBufUtil.getBytes(payload);
        answer = ShadowAnswer.parse(bytes, 0, bytes.length);
      }
    } catch (IOException e) {
      errors.record("shadow answer is not JSON: " + e.getMessage());
      return;
    }
    onAnswer(answer, now);
  }

  /** Settles the request an answer belongs to and sends the next one. */
  void onAnswer(ShadowAnswer answer, long now) {
    OptionalLong sentAt =
        answer.sequence().isPresent()
            ? outstanding.remove(answer.sequence().getAsLong())
            : OptionalLong.empty();
    if (sentAt.isEmpty()) {
      errors.record(
          answer.accepted()
              ? "accepted answer without a pending clientToken"
              : "rejected answer (" + answer.code() + ") without a pending clientToken");
      return;
    }
    if (sentAt.getAsLong() - plan.measureStartNanos() >= 0) {
      if (answer.accepted()) {
        tally.accepted(now, sentAt.getAsLong());
      } else {
        tally.rejected(now, answer.code());
      }
    }
    pump();
  }

  private void pump() {
    if (done) {
      return;
    }
    long now = System.nanoTime();
    if (now - plan.sendDeadlineNanos() >= 0 || !channel.isActive()) {
      done = true;
      return;
    }
    boolean wrote = false;
    while (!outstanding.isFull() && measuredSent < budget) {
      send(now);
      wrote = true;
    }
    if (measuredSent >= budget) {
      done = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  private void send(long now) {
    long sequence = nextSequence++;
    byte[] document = document(sequence, pad);
    int packetId = plan.qos() == 0 ? 0 : nextPacketId();
    channel.write(
        PublishCodec.encodePublish(
            channel.alloc(), updateTopic, plan.qos(), packetId, document, plan.mqtt5()),
        channel.voidPromise());
    outstanding.add(sequence, now);
    if (now - plan.measureStartNanos() >= 0) {
      measuredSent++;
      tally.sent();
    }
  }

  private int nextPacketId() {
    int id = nextPacketId;
    nextPacketId = id == 65_535 ? 1 : id + 1;
    return id;
  }
}
