package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShadowDeviceTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final ShadowTally tally = new ShadowTally();
  private final ErrorLog errors = new ErrorLog();

  private ShadowDevice device(long measureStart, int window, long budget) {
    ShadowDevice.Plan plan =
        new ShadowDevice.Plan(
            1,
            false,
            window,
            ShadowDevice.padFor(64),
            measureStart,
            System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
    return new ShadowDevice(channel, "pb-1-dev-0", plan, budget, tally, errors);
  }

  @Test
  void keepsItsWindowFull_matchesAnswersByToken_stopsAtItsBudget() throws Exception {
    ShadowDevice device = device(System.nanoTime() - 1, 2, 3);

    device.start();
    channel.runPendingTasks();
    List<MqttPublishMessage> first = written();

    assertThat(first).hasSize(2);
    assertThat(first.get(0).variableHeader().topicName())
        .isEqualTo("$aws/things/pb-1-dev-0/shadow/update");
    assertThat(first.get(0).fixedHeader().qosLevel().value()).isEqualTo(1);
    JsonNode update = json(first.get(0));
    assertThat(update.at("/state/reported/seq").asLong()).isZero();
    assertThat(update.get("clientToken").asText()).isEqualTo("0");
    assertThat(json(first.get(1)).get("clientToken").asText()).isEqualTo("1");
    assertThat(first.get(0).payload().readableBytes()).isBetween(60, 70);
    release(first);

    // A refusal on arrival overtakes the request queued before it.
    device.onAnswer(new ShadowAnswer(429, OptionalLong.of(1)), System.nanoTime());
    List<MqttPublishMessage> second = written();
    assertThat(second).hasSize(1);
    assertThat(json(second.get(0)).get("clientToken").asText()).isEqualTo("2");
    release(second);
    assertThat(device.done()).as("three sent: the budget is spent").isTrue();

    device.onAnswer(new ShadowAnswer(0, OptionalLong.of(0)), System.nanoTime());
    device.onAnswer(new ShadowAnswer(0, OptionalLong.of(2)), System.nanoTime());

    assertThat(written()).isEmpty();
    assertThat(tally.sentCount()).isEqualTo(3);
    assertThat(tally.acceptedCount()).isEqualTo(2);
    assertThat(tally.rejectedCount()).isEqualTo(1);
    assertThat(tally.rejectedByCode()).containsExactly(java.util.Map.entry("429", 1L));
    assertThat(tally.accepted.latency().count()).isEqualTo(2);
    assertThat(errors.count()).isZero();
  }

  @Test
  void answerToNoPendingRequest_isAnError_andSendsNothing() {
    ShadowDevice device = device(System.nanoTime() - 1, 1, 10);
    device.start();
    channel.runPendingTasks();
    release(written());

    device.onAnswer(new ShadowAnswer(0, OptionalLong.of(99)), System.nanoTime());
    device.onAnswer(new ShadowAnswer(400, OptionalLong.empty()), System.nanoTime());

    assertThat(written()).isEmpty();
    assertThat(errors.count()).isEqualTo(2);
    assertThat(tally.answeredCount()).isZero();
  }

  @Test
  void warmUpTraffic_isNeitherCountedNorBudgeted() {
    ShadowDevice device = device(System.nanoTime() + TimeUnit.HOURS.toNanos(1), 1, 1);
    device.start();
    channel.runPendingTasks();
    for (int i = 0; i < 5; i++) {
      release(written());
      device.onAnswer(new ShadowAnswer(0, OptionalLong.of(i)), System.nanoTime());
    }

    release(written());

    assertThat(device.done()).isFalse();
    assertThat(tally.sentCount()).isZero();
    assertThat(tally.answeredCount()).isZero();
  }

  @Test
  void deadline_endsSendingEvenWithoutAnswers() {
    ShadowDevice device = device(System.nanoTime() - 1, 1, 10);
    device.start();
    channel.runPendingTasks();
    release(written());

    device.tick(System.nanoTime() + TimeUnit.MINUTES.toNanos(2));

    assertThat(device.done()).isTrue();
  }

  private List<MqttPublishMessage> written() {
    EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder());
    List<MqttPublishMessage> messages = new ArrayList<>();
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      decoder.writeInbound(out);
    }
    MqttPublishMessage m;
    while ((m = decoder.readInbound()) != null) {
      messages.add(m);
    }
    return messages;
  }

  private static JsonNode json(MqttPublishMessage m) throws Exception {
    return Json.MAPPER.readTree(ByteBufUtil.getBytes(m.payload()));
  }

  private static void release(List<MqttPublishMessage> messages) {
    messages.forEach(MqttPublishMessage::release);
  }
}
