package io.pylon.mqtt.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.store.StoredInflight;
import io.pylon.mqtt.store.StoredSession;
import io.pylon.mqtt.store.StoredSubscription;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicFilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SessionTest {

  private static final long NOW = 1_700_000_000_000L;

  /** The connection side of a session: counts the drains the session asks for. */
  static final class FakeConnection implements SessionConnection {
    int drainsScheduled;
    int takenOver;
    boolean writable = true;

    @Override
    public void scheduleDrain() {
      drainsScheduled++;
    }

    @Override
    public boolean isWritable() {
      return writable;
    }

    @Override
    public void sessionTakenOver() {
      takenOver++;
    }
  }

  record Written(String topic, int qos, int packetId, boolean dup) {}

  /** Records what the session writes; can refuse messages as a real writer does (too large). */
  static final class FakeWriter implements Session.Writer {
    final List<Written> publishes = new ArrayList<>();
    final List<Integer> pubRels = new ArrayList<>();
    int flushes;
    boolean writable = true;
    int quota = 100;
    Predicate<Delivery> refuse = d -> false;

    @Override
    public boolean isWritable() {
      return writable;
    }

    @Override
    public int sendQuota() {
      return quota;
    }

    @Override
    public boolean writePublish(Delivery delivery, int packetId, boolean dup) {
      if (refuse.test(delivery)) {
        return false;
      }
      publishes.add(new Written(delivery.message().topic(), delivery.qos(), packetId, dup));
      return true;
    }

    @Override
    public void writePubRel(int packetId) {
      pubRels.add(packetId);
    }

    @Override
    public void flush() {
      flushes++;
    }

    List<String> topics() {
      return publishes.stream().map(Written::topic).collect(Collectors.toList());
    }

    List<Integer> packetIds() {
      return publishes.stream().map(Written::packetId).collect(Collectors.toList());
    }
  }

  private DropCounters drops;
  private FakeConnection connection;
  private FakeWriter writer;

  @BeforeEach
  void setUp() {
    drops = new DropCounters();
    connection = new FakeConnection();
    writer = new FakeWriter();
  }

  private Session connectedSession(int maxQueued) {
    Session session = new Session("client-1", maxQueued, drops);
    assertThat(session.attach(connection, 60)).isNull();
    return session;
  }

  private static ApplicationMessage message(String topic, int qos) {
    return message(topic, qos, 0);
  }

  private static ApplicationMessage message(String topic, int qos, long expiresAt) {
    return new ApplicationMessage(
        topic,
        topic.getBytes(StandardCharsets.UTF_8),
        Qos.of(qos),
        false,
        MessageProperties.NONE,
        expiresAt,
        "publisher");
  }

  private static Delivery delivery(String topic, int qos) {
    return new Delivery(message(topic, qos), qos, false, Delivery.NO_IDS);
  }

  private void drain(Session session) {
    session.drainTo(connection, writer, NOW);
  }

  // ---------------------------------------------------------------- offer and drain

  @Nested
  class OfferAndDrain {

    @Test
    void drains_in_offer_order_with_one_flush() {
      Session session = connectedSession(100);
      for (int i = 0; i < 6; i++) {
        assertThat(session.offer(delivery("t/" + i, i % 3 == 0 ? 0 : 1))).isTrue();
      }
      drain(session);
      assertThat(writer.topics()).containsExactly("t/0", "t/1", "t/2", "t/3", "t/4", "t/5");
      assertThat(writer.flushes).isEqualTo(1);
      assertThat(session.queuedCount()).isZero();
      // QoS 0 goes out without a packet id; QoS 1 takes ids in sequence.
      assertThat(writer.packetIds()).containsExactly(0, 1, 2, 0, 3, 4);
      assertThat(session.inflightCount()).isEqualTo(4);
    }

    @Test
    void a_burst_of_offers_schedules_one_drain() {
      Session session = connectedSession(100);
      session.offer(delivery("a", 1));
      session.offer(delivery("b", 1));
      session.offer(delivery("c", 0));
      assertThat(connection.drainsScheduled).isEqualTo(1);

      drain(session);
      session.offer(delivery("d", 1));
      assertThat(connection.drainsScheduled).isEqualTo(2);
    }

    @Test
    void empty_drain_does_not_flush() {
      Session session = connectedSession(100);
      drain(session);
      assertThat(writer.flushes).isZero();
    }

    @Test
    void drain_by_a_connection_that_is_no_longer_attached_writes_nothing() {
      Session session = connectedSession(100);
      session.offer(delivery("a", 1));
      FakeConnection stale = new FakeConnection();
      session.drainTo(stale, writer, NOW);
      assertThat(writer.publishes).isEmpty();
      assertThat(session.queuedCount()).isEqualTo(1);
    }

    @Test
    void in_flight_window_respects_send_quota_and_reopens_on_acknowledgement() {
      writer.quota = 2;
      Session session = connectedSession(100);
      for (int i = 0; i < 5; i++) {
        session.offer(delivery("t/" + i, 1));
      }
      drain(session);
      assertThat(writer.topics()).containsExactly("t/0", "t/1");
      assertThat(session.inflightCount()).isEqualTo(2);
      assertThat(session.queuedCount()).isEqualTo(3);

      // The drain stays pending while the window is full: offers do not schedule more drains.
      int scheduled = connection.drainsScheduled;
      session.offer(delivery("t/5", 1));
      assertThat(connection.drainsScheduled).isEqualTo(scheduled);

      assertThat(session.acknowledge(1)).isTrue();
      drain(session);
      assertThat(writer.topics()).containsExactly("t/0", "t/1", "t/2");
      assertThat(session.inflightCount()).isEqualTo(2);

      assertThat(session.acknowledge(2)).isTrue();
      assertThat(session.acknowledge(3)).isTrue();
      drain(session);
      assertThat(writer.topics()).containsExactly("t/0", "t/1", "t/2", "t/3", "t/4");
    }

    @Test
    void qos0_behind_a_blocked_qos1_keeps_its_place() {
      writer.quota = 1;
      Session session = connectedSession(100);
      session.offer(delivery("q1-a", 1));
      session.offer(delivery("q1-b", 1));
      session.offer(delivery("q0", 0));
      drain(session);
      assertThat(writer.topics()).containsExactly("q1-a");

      // q0 needs no window slot, but it does not overtake the blocked q1-b.
      assertThat(session.queuedCount()).isEqualTo(2);

      session.acknowledge(1);
      drain(session);
      assertThat(writer.topics()).containsExactly("q1-a", "q1-b", "q0");
    }

    @Test
    void nothing_is_written_while_the_writer_is_not_writable() {
      Session session = connectedSession(100);
      session.offer(delivery("a", 1));
      writer.writable = false;
      drain(session);
      assertThat(writer.publishes).isEmpty();
      assertThat(session.queuedCount()).isEqualTo(1);

      // Still pending: channelWritabilityChanged drains, not a new offer.
      session.offer(delivery("b", 1));
      assertThat(connection.drainsScheduled).isEqualTo(1);

      writer.writable = true;
      drain(session);
      assertThat(writer.topics()).containsExactly("a", "b");
    }

    @Test
    void qos0_is_dropped_for_a_slow_consumer_but_qos1_queues() {
      Session session = connectedSession(100);
      connection.writable = false;
      assertThat(session.offer(delivery("q0", 0))).isFalse();
      assertThat(drops.slowConsumer.sum()).isEqualTo(1);
      assertThat(session.offer(delivery("q1", 1))).isTrue();
      assertThat(session.queuedCount()).isEqualTo(1);
    }

    @Test
    void queue_bound_drops_and_counts() {
      Session session = connectedSession(3);
      writer.quota = 1;
      for (int i = 0; i < 3; i++) {
        assertThat(session.offer(delivery("t/" + i, 1))).isTrue();
      }
      assertThat(session.offer(delivery("t/3", 1))).isFalse();
      assertThat(session.offer(delivery("t/4", 0))).isFalse();
      assertThat(drops.queueFull.sum()).isEqualTo(2);
      assertThat(session.queuedCount()).isEqualTo(3);

      // The bound is on the queue, not on the in-flight window: a drained message frees a slot.
      drain(session);
      assertThat(session.inflightCount()).isEqualTo(1);
      assertThat(session.offer(delivery("t/5", 1))).isTrue();
      assertThat(session.offer(delivery("t/6", 1))).isFalse();
      assertThat(drops.queueFull.sum()).isEqualTo(3);
    }

    @Test
    void zero_queue_bound_drops_everything() {
      Session session = connectedSession(0);
      assertThat(session.offer(delivery("a", 1))).isFalse();
      assertThat(drops.queueFull.sum()).isEqualTo(1);
      assertThat(connection.drainsScheduled).isZero();
    }

    @Test
    void expired_messages_are_dropped_when_drained() {
      Session session = connectedSession(100);
      session.offer(new Delivery(message("expired", 1, NOW - 1), 1, false, Delivery.NO_IDS));
      session.offer(new Delivery(message("exactly-now", 0, NOW), 0, false, Delivery.NO_IDS));
      session.offer(new Delivery(message("fresh", 1, NOW + 1), 1, false, Delivery.NO_IDS));
      session.offer(delivery("no-expiry", 1));
      drain(session);
      assertThat(writer.topics()).containsExactly("fresh", "no-expiry");
      assertThat(drops.expired.sum()).isEqualTo(2);
      // Expired messages take no packet id.
      assertThat(writer.packetIds()).containsExactly(1, 2);
    }

    @Test
    void a_refused_write_frees_its_in_flight_slot() {
      writer.quota = 1;
      writer.refuse = d -> d.message().topic().equals("too-large");
      Session session = connectedSession(100);
      session.offer(delivery("too-large", 1));
      session.offer(delivery("ok", 1));
      drain(session);
      assertThat(writer.topics()).containsExactly("ok");
      assertThat(session.inflightCount()).isEqualTo(1);
    }
  }

  // ---------------------------------------------------------------- offline

  @Nested
  class Offline {

    @Test
    void qos0_is_dropped_while_offline_and_qos1_is_kept_for_later() {
      Session session = new Session("c", 100, drops);
      assertThat(session.offer(delivery("q0", 0))).isFalse();
      assertThat(drops.offlineQos0.sum()).isEqualTo(1);
      assertThat(session.offer(delivery("q1", 1))).isTrue();
      assertThat(session.offer(delivery("q2", 2))).isTrue();
      assertThat(session.queuedCount()).isEqualTo(2);

      session.attach(connection, 60);
      // Attaching does not drain by itself: the connection resumes after CONNACK.
      assertThat(connection.drainsScheduled).isZero();
      session.resume(connection, writer, NOW);
      assertThat(writer.topics()).containsExactly("q1", "q2");
    }

    @Test
    void detach_then_offer_queues_without_waking_anyone() {
      Session session = connectedSession(100);
      assertThat(session.detach(connection, NOW)).isTrue();
      assertThat(session.isConnected()).isFalse();
      session.offer(delivery("a", 1));
      assertThat(connection.drainsScheduled).isZero();
      session.drainTo(connection, writer, NOW);
      assertThat(writer.publishes).isEmpty();
    }

    @Test
    void detach_by_a_stale_connection_is_ignored() {
      Session session = connectedSession(100);
      assertThat(session.detach(new FakeConnection(), NOW)).isFalse();
      assertThat(session.isConnected()).isTrue();
    }

    @Test
    void attach_returns_the_previous_connection() {
      Session session = connectedSession(100);
      FakeConnection second = new FakeConnection();
      assertThat(session.attach(second, 60)).isSameAs(connection);
      assertThat(session.detach(connection, NOW)).isFalse();
      assertThat(session.detach(second, NOW)).isTrue();
    }

    @Test
    void expires_after_the_interval_counted_from_the_disconnect() {
      Session session = connectedSession(100);
      assertThat(session.isExpired(Long.MAX_VALUE)).isFalse();
      session.detach(connection, NOW);
      assertThat(session.isExpired(NOW + 59_999)).isFalse();
      assertThat(session.isExpired(NOW + 60_000)).isTrue();

      session.expiryIntervalSeconds(0xFFFFFFFFL);
      assertThat(session.isExpired(Long.MAX_VALUE)).isFalse();
    }
  }

  // ---------------------------------------------------------------- acknowledgements

  @Nested
  class Acknowledgements {

    @Test
    void puback_completes_a_qos1_message_once() {
      Session session = connectedSession(100);
      session.offer(delivery("a", 1));
      drain(session);
      assertThat(session.acknowledge(1)).isTrue();
      assertThat(session.acknowledge(1)).isFalse();
      assertThat(session.acknowledge(999)).isFalse();
      assertThat(session.inflightCount()).isZero();
    }

    @Test
    void qos2_flow_received_then_completed() {
      Session session = connectedSession(100);
      session.offer(delivery("q2", 2));
      session.offer(delivery("q1", 1));
      drain(session);
      assertThat(writer.packetIds()).containsExactly(1, 2);

      assertThat(session.received(1)).isTrue();
      // A duplicate PUBREC is answered again (the PUBREL may have been lost).
      assertThat(session.received(1)).isTrue();
      assertThat(session.inflightCount()).isEqualTo(2);
      // PUBREC is for QoS 2 only, and only for ids in flight.
      assertThat(session.received(2)).isFalse();
      assertThat(session.received(77)).isFalse();

      assertThat(session.acknowledge(1)).isTrue();
      assertThat(session.inflightCount()).isEqualTo(1);
    }

    @Test
    void refused_pubrec_ends_the_message() {
      writer.quota = 1;
      Session session = connectedSession(100);
      session.offer(delivery("q2", 2));
      session.offer(delivery("next", 2));
      drain(session);
      session.refused(1);
      assertThat(session.inflightCount()).isZero();
      drain(session);
      assertThat(writer.topics()).containsExactly("q2", "next");
      // Refusing an unknown id is harmless.
      session.refused(12345);
      assertThat(session.inflightCount()).isEqualTo(1);
    }

    @Test
    void inbound_qos2_ids_are_tracked_until_pubrel() {
      Session session = connectedSession(100);
      assertThat(session.beginInboundQos2(7)).isTrue();
      assertThat(session.beginInboundQos2(7)).isFalse();
      assertThat(session.beginInboundQos2(8)).isTrue();
      assertThat(session.inboundQos2Count()).isEqualTo(2);
      assertThat(session.completeInboundQos2(7)).isTrue();
      assertThat(session.completeInboundQos2(7)).isFalse();
      assertThat(session.inboundQos2Count()).isEqualTo(1);
    }
  }

  // ---------------------------------------------------------------- resume

  @Nested
  class Resume {

    @Test
    void resends_in_flight_with_dup_and_pubrel_for_released_then_drains() {
      Session session = connectedSession(100);
      session.offer(delivery("q1", 1));
      session.offer(delivery("q2", 2));
      drain(session);
      session.received(2);
      session.detach(connection, NOW);
      session.offer(delivery("queued", 1));

      FakeConnection next = new FakeConnection();
      FakeWriter nextWriter = new FakeWriter();
      session.attach(next, 60);
      session.resume(next, nextWriter, NOW);
      assertThat(nextWriter.publishes)
          .containsExactly(new Written("q1", 1, 1, true), new Written("queued", 1, 3, false));
      assertThat(nextWriter.pubRels).containsExactly(2);
      assertThat(session.inflightCount()).isEqualTo(3);
    }

    @Test
    void resume_drops_in_flight_messages_that_expired_meanwhile() {
      Session session = connectedSession(100);
      session.offer(
          new Delivery(message("short-lived", 1, NOW + 1_000), 1, false, Delivery.NO_IDS));
      drain(session);
      session.detach(connection, NOW);

      FakeConnection next = new FakeConnection();
      FakeWriter nextWriter = new FakeWriter();
      session.attach(next, 60);
      session.resume(next, nextWriter, NOW + 5_000);
      assertThat(nextWriter.publishes).isEmpty();
      assertThat(session.inflightCount()).isZero();
      assertThat(drops.expired.sum()).isEqualTo(1);
    }

    @Test
    void resume_by_a_connection_that_is_not_attached_does_nothing() {
      Session session = connectedSession(100);
      session.offer(delivery("a", 1));
      session.resume(new FakeConnection(), writer, NOW);
      assertThat(writer.publishes).isEmpty();
    }

    /**
     * MQTT-3.1.2-25: a message too large for the client is discarded "as if it had completed
     * sending". {@link Session#drainTo} frees the in-flight slot when the writer refuses; resume
     * must too, or each refused resend occupies a slot of the receive maximum forever and, once
     * there are as many as the window, the session never delivers again.
     */
    @Test
    void resume_frees_the_slot_of_an_in_flight_message_the_writer_refuses() {
      Session session = connectedSession(100);
      session.offer(delivery("big", 1));
      drain(session);
      session.detach(connection, NOW);

      // The client comes back with a smaller maximum packet size and a window of one.
      FakeConnection next = new FakeConnection();
      FakeWriter nextWriter = new FakeWriter();
      nextWriter.quota = 1;
      nextWriter.refuse = d -> d.message().topic().equals("big");
      session.attach(next, 60);
      session.resume(next, nextWriter, NOW);
      assertThat(session.inflightCount()).as("in flight after the refused resend").isZero();

      session.offer(delivery("small", 1));
      session.drainTo(next, nextWriter, NOW);
      assertThat(nextWriter.topics()).containsExactly("small");
    }
  }

  // ---------------------------------------------------------------- packet ids

  @Nested
  class PacketIds {

    @Test
    void ids_wrap_at_65535_and_skip_zero_and_ids_still_in_flight() {
      writer.quota = 3;
      Session session = connectedSession(10);
      // Ids 1 and 3 stay in flight for the whole cycle.
      session.offer(delivery("held-1", 1));
      session.offer(delivery("released", 1));
      session.offer(delivery("held-3", 2));
      drain(session);
      assertThat(writer.packetIds()).containsExactly(1, 2, 3);
      session.received(3);
      session.acknowledge(2);

      for (int expected = 4; expected <= 0xFFFF; expected++) {
        session.offer(delivery("cycle", 1));
        drain(session);
        int id = writer.publishes.get(writer.publishes.size() - 1).packetId();
        assertThat(id).isEqualTo(expected);
        assertThat(session.acknowledge(id)).isTrue();
      }
      // After 65535 comes 1, in flight, so 2; then 3 is in flight too (released, awaiting PUBCOMP).
      writer.quota = 4;
      session.offer(delivery("after-wrap", 1));
      session.offer(delivery("after-wrap-2", 1));
      drain(session);
      List<Integer> ids = writer.packetIds();
      assertThat(ids.subList(ids.size() - 2, ids.size())).containsExactly(2, 4);
      assertThat(ids).doesNotContain(0);
    }
  }

  // ---------------------------------------------------------------- subscriptions and persistence

  @Nested
  class Persistence {

    @Test
    void subscriptions_replace_by_raw_filter() {
      Session session = new Session("c", 10, drops);
      TopicFilter f = new TopicFilter("$share/g/a/+", "a/+", "g");
      assertThat(session.subscribe(f, SubscriptionOptions.ofQos(0))).isNull();
      assertThat(session.subscribe(f, SubscriptionOptions.ofQos(1)).options().qos()).isZero();
      assertThat(session.subscriptionCount()).isEqualTo(1);
      assertThat(session.hasSubscription("$share/g/a/+")).isTrue();
      assertThat(session.hasSubscription("a/+")).isFalse();
      assertThat(session.unsubscribe("$share/g/a/+").options().qos()).isEqualTo(1);
      assertThat(session.unsubscribe("$share/g/a/+")).isNull();
    }

    @Test
    void snapshot_and_restore_round_trip() {
      writer.quota = 3;
      Session session = connectedSession(100);
      session.subscribe(
          new TopicFilter("a/#", "a/#", null), new SubscriptionOptions(1, true, true, 2, 9));
      session.subscribe(new TopicFilter("$share/g/b", "b", "g"), SubscriptionOptions.ofQos(2));
      session.expiryIntervalSeconds(3600);

      // In flight: a QoS 1, a QoS 2 still unacknowledged, a QoS 2 already released (PUBREL sent).
      session.offer(delivery("inflight-q1", 1));
      session.offer(
          new Delivery(message("inflight-q2", 2).withRetain(true), 2, true, Delivery.NO_IDS));
      session.offer(delivery("released-q2", 2));
      drain(session);
      session.received(3);
      // Queued: QoS 0 is not stored, QoS 1/2 are, delivered QoS kept in the stored message.
      writer.quota = 0;
      session.offer(delivery("queued-q0", 0));
      session.offer(new Delivery(message("queued-downgraded", 2), 1, false, Delivery.NO_IDS));
      session.detach(connection, NOW);
      assertThat(session.isDirty()).isTrue();

      StoredSession stored = session.snapshot();
      assertThat(session.isDirty()).isFalse();
      assertThat(stored.clientId()).isEqualTo("client-1");
      assertThat(stored.expiryIntervalSeconds()).isEqualTo(3600);
      assertThat(stored.disconnectedAtMillis()).isEqualTo(NOW);
      assertThat(stored.subscriptions())
          .containsExactly(
              new StoredSubscription("a/#", 1, true, true, 2, 9),
              new StoredSubscription("$share/g/b", 2, false, false, 0, 0));
      // In flight with packet ids, sent time and QoS 2 state; queued behind them.
      assertThat(stored.inflight())
          .extracting(StoredInflight::packetId, StoredInflight::released, m -> m.message().topic())
          .containsExactly(
              tuple(1, false, "inflight-q1"),
              tuple(2, false, "inflight-q2"),
              tuple(3, true, "released-q2"));
      assertThat(stored.inflight())
          .extracting(m -> m.message().retain())
          .containsExactly(false, true, false);
      assertThat(stored.inflight()).allMatch(m -> m.sentAtMillis() == NOW);
      assertThat(stored.pending())
          .extracting(ApplicationMessage::topic)
          .containsExactly("queued-downgraded");
      assertThat(stored.pending()).extracting(m -> m.qos().value()).containsExactly(1);

      Session restored = new Session("client-1", 100, drops);
      restored.restore(stored, NOW + 10_000);
      assertThat(restored.expiryIntervalSeconds()).isEqualTo(3600);
      assertThat(restored.disconnectedAtMillis()).isEqualTo(NOW);
      assertThat(restored.queuedCount()).isEqualTo(1);
      assertThat(restored.inflightCount()).isEqualTo(3);
      assertThat(restored.isExpired(NOW + 3_599_999)).isFalse();
      assertThat(restored.isExpired(NOW + 3_600_000)).isTrue();

      FakeConnection next = new FakeConnection();
      FakeWriter nextWriter = new FakeWriter();
      restored.attach(next, 3600);
      restored.resume(next, nextWriter, NOW + 10_000);
      // The same packets again [MQTT-4.4.0-1]: PUBLISH with DUP, PUBREL for the released one; the
      // queued message gets a packet id not in use.
      assertThat(nextWriter.publishes)
          .containsExactly(
              new Written("inflight-q1", 1, 1, true),
              new Written("inflight-q2", 2, 2, true),
              new Written("queued-downgraded", 1, 4, false));
      assertThat(nextWriter.pubRels).containsExactly(3);

      // A second snapshot of the restored session stores the same state again.
      StoredSession again = restored.snapshot();
      assertThat(again.inflight()).extracting(StoredInflight::packetId).containsExactly(1, 2, 3, 4);
      assertThat(again.pending()).isEmpty();
      assertThat(again.disconnectedAtMillis()).isZero();
    }

    @Test
    void restore_of_a_session_stored_while_connected_starts_its_expiry_now() {
      StoredSession stored = new StoredSession("c", 60, 0, List.of(), List.of());
      Session restored = new Session("c", 10, drops);
      restored.restore(stored, NOW);
      assertThat(restored.isExpired(NOW + 59_999)).isFalse();
      assertThat(restored.isExpired(NOW + 60_000)).isTrue();
    }

    @Test
    void clear_forgets_everything_owed() {
      Session session = connectedSession(100);
      session.subscribe(new TopicFilter("a", "a", null), SubscriptionOptions.ofQos(1));
      session.offer(delivery("x", 1));
      session.offer(delivery("y", 1));
      drain(session);
      session.offer(delivery("z", 1));
      session.beginInboundQos2(5);
      session.clear();
      assertThat(session.subscriptionCount()).isZero();
      assertThat(session.queuedCount()).isZero();
      assertThat(session.inflightCount()).isZero();
      assertThat(session.inboundQos2Count()).isZero();
    }
  }
}
