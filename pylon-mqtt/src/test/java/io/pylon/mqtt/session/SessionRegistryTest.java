package io.pylon.mqtt.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.store.StoredSession;
import io.pylon.mqtt.store.StoredSubscription;
import io.pylon.mqtt.topic.SharedGroup;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicRules;
import io.pylon.mqtt.topic.TopicTree;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SessionRegistryTest {

  private static final TopicRules RULES = new TopicRules(65_535, 65_535, true);
  private static final long NEVER = 0xFFFFFFFFL;

  /** A clock the test moves; expiry decisions read it, expiry timers use real time. */
  static final class MutableClock extends Clock {
    volatile long millis = 1_700_000_000_000L;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
      return millis;
    }
  }

  /** Takeover notices arrive on the lifecycle thread, hence the atomic counter. */
  static final class Connection implements SessionConnection {
    final AtomicInteger takenOver = new AtomicInteger();

    @Override
    public void scheduleDrain() {}

    @Override
    public boolean isWritable() {
      return true;
    }

    @Override
    public void sessionTakenOver() {
      takenOver.incrementAndGet();
    }
  }

  private final MutableClock clock = new MutableClock();
  private final TopicTree<Session> tree = new TopicTree<>();
  private final List<String> ended = Collections.synchronizedList(new ArrayList<>());
  private ScheduledExecutorService lifecycle;
  private SessionRegistry registry;

  @BeforeEach
  void setUp() {
    lifecycle = Executors.newSingleThreadScheduledExecutor();
    registry = new SessionRegistry(tree, lifecycle, clock, new DropCounters(), ended::add);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    lifecycle.shutdownNow();
    assertThat(lifecycle.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  private SessionRegistry.Attached attach(
      String clientId, boolean cleanStart, long expiry, SessionConnection connection)
      throws Exception {
    return registry.attach(clientId, cleanStart, expiry, 100, connection).get(5, TimeUnit.SECONDS);
  }

  /** Waits for everything handed to the lifecycle thread so far (detach runs there). */
  private void settle() throws Exception {
    lifecycle.submit(() -> {}).get(5, TimeUnit.SECONDS);
  }

  private void subscribe(Session session, String raw) {
    TopicFilter filter = RULES.parseFilter(raw);
    SubscriptionOptions options = SubscriptionOptions.ofQos(1);
    session.subscribe(filter, options);
    tree.subscribe(filter, session, options);
  }

  private List<Session> subscribersOf(String topic) {
    List<Session> out = new ArrayList<>();
    tree.match(
        topic,
        new TopicTree.Visitor<>() {
          @Override
          public void subscription(Session subscriber, SubscriptionOptions options) {
            out.add(subscriber);
          }

          @Override
          public void sharedGroup(SharedGroup<Session> group) {
            out.add(group.pick(s -> true).subscriber());
          }
        });
    return out;
  }

  // ---------------------------------------------------------------- attach

  @Test
  void a_persistent_session_is_resumed_without_clean_start() throws Exception {
    Connection first = new Connection();
    SessionRegistry.Attached a = attach("c", false, 60, first);
    assertThat(a.sessionPresent()).isFalse();
    subscribe(a.session(), "a/#");
    registry.detach(a.session(), first);
    settle();
    assertThat(a.session().isConnected()).isFalse();

    SessionRegistry.Attached b = attach("c", false, 60, new Connection());
    assertThat(b.sessionPresent()).isTrue();
    assertThat(b.session()).isSameAs(a.session());
    assertThat(subscribersOf("a/b")).containsExactly(a.session());
    assertThat(ended).isEmpty();
  }

  @Test
  void clean_start_ends_the_old_session_and_its_subscriptions() throws Exception {
    Connection first = new Connection();
    Session old = attach("c", false, 60, first).session();
    subscribe(old, "a/#");
    subscribe(old, "$share/g/b");
    registry.detach(old, first);
    settle();

    SessionRegistry.Attached fresh = attach("c", true, 60, new Connection());
    assertThat(fresh.sessionPresent()).isFalse();
    assertThat(fresh.session()).isNotSameAs(old);
    assertThat(tree.size()).isZero();
    assertThat(subscribersOf("a/b")).isEmpty();
    assertThat(ended).containsExactly("c");
    assertThat(registry.get("c")).isSameAs(fresh.session());
  }

  @Test
  void a_second_connection_takes_the_session_over() throws Exception {
    Connection first = new Connection();
    Connection second = new Connection();
    Session session = attach("c", false, 60, first).session();
    SessionRegistry.Attached again = attach("c", false, 60, second);
    assertThat(again.session()).isSameAs(session);
    assertThat(again.sessionPresent()).isTrue();
    assertThat(first.takenOver.get()).isEqualTo(1);
    assertThat(second.takenOver.get()).isZero();

    // The loser's late detach must not detach the winner.
    registry.detach(session, first);
    settle();
    assertThat(session.isConnected()).isTrue();
  }

  @Test
  void clean_start_over_a_connected_session_takes_it_over_too() throws Exception {
    Connection first = new Connection();
    Session old = attach("c", false, 60, first).session();
    Session fresh = attach("c", true, 0, new Connection()).session();
    assertThat(fresh).isNotSameAs(old);
    assertThat(first.takenOver.get()).isEqualTo(1);
    assertThat(old.isConnected()).isFalse();
  }

  // ---------------------------------------------------------------- detach and expiry

  @Test
  void a_session_without_expiry_ends_at_disconnect() throws Exception {
    Connection connection = new Connection();
    Session session = attach("c", true, 0, connection).session();
    subscribe(session, "a/+");
    registry.detach(session, connection);
    settle();
    assertThat(registry.get("c")).isNull();
    assertThat(tree.size()).isZero();
  }

  @Test
  void a_persistent_session_expires_after_its_interval() throws Exception {
    Connection connection = new Connection();
    Session session = attach("c", false, 1, connection).session();
    subscribe(session, "a/+");
    registry.detach(session, connection);
    settle();
    assertThat(registry.get("c")).isSameAs(session);

    clock.millis += 1_000;
    await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("c") == null);
    assertThat(tree.size()).isZero();
    assertThat(ended).containsExactly("c");
  }

  @Test
  void a_session_that_never_expires_stays() throws Exception {
    Connection connection = new Connection();
    Session session = attach("c", false, NEVER, connection).session();
    registry.detach(session, connection);
    settle();
    clock.millis += TimeUnit.DAYS.toMillis(10_000);
    assertThat(registry.get("c")).isSameAs(session);
  }

  /**
   * A persistent session is written to storage while it lives (dirtySnapshots). If the client then
   * drops its subscriptions and sets its session expiry to 0 on DISCONNECT (MQTT 5 allows lowering
   * it), SessionRegistry.end() judges "not persistent" from the values at that moment and does not
   * tell storage, so the stored row, subscription included, survives: after a restart the broker
   * restores a session the client ended, resubscribes it and answers its next CONNECT with session
   * present.
   */
  @Test
  void storage_forgets_a_stored_session_whose_expiry_was_set_to_zero_at_disconnect()
      throws Exception {
    Connection connection = new Connection();
    Session session = attach("c", false, 3600, connection).session();
    subscribe(session, "a/b");
    assertThat(registry.dirtySnapshots()).extracting(StoredSession::clientId).containsExactly("c");

    Session.Subscription removed = session.unsubscribe("a/b");
    tree.unsubscribe(removed.filter(), session);
    session.expiryIntervalSeconds(0);
    registry.detach(session, connection);
    settle();

    assertThat(registry.get("c")).isNull();
    assertThat(ended).as("client ids storage was told to forget").containsExactly("c");
  }

  // ---------------------------------------------------------------- wills

  @Test
  void a_will_without_delay_is_published_at_once() throws Exception {
    Session session = attach("c", true, 0, new Connection()).session();
    AtomicInteger published = new AtomicInteger();
    registry.scheduleWill(session, 0, published::incrementAndGet);
    assertThat(published.get()).isEqualTo(1);
  }

  @Test
  void a_delayed_will_is_not_sent_when_the_session_is_resumed_in_time() throws Exception {
    Connection connection = new Connection();
    Session session = attach("c", false, 60, connection).session();
    registry.detach(session, connection);
    AtomicInteger published = new AtomicInteger();
    // The delay leaves a loaded machine ample time to resume; watching past it proves the cancel.
    registry.scheduleWill(session, 2, published::incrementAndGet);
    settle();

    attach("c", false, 60, new Connection());
    await()
        .during(Duration.ofMillis(2_500))
        .atMost(Duration.ofSeconds(4))
        .until(() -> published.get() == 0);
  }

  @Test
  void a_delayed_will_is_sent_at_once_when_a_clean_start_ends_the_session() throws Exception {
    Connection connection = new Connection();
    Session session = attach("c", false, 60, connection).session();
    registry.detach(session, connection);
    AtomicInteger published = new AtomicInteger();
    registry.scheduleWill(session, 3600, published::incrementAndGet);
    settle();
    assertThat(published.get()).isZero();

    attach("c", true, 60, new Connection());
    assertThat(published.get()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- persistence

  @Test
  void snapshots_cover_persistent_sessions_only_and_dirty_ones_once() throws Exception {
    Session persistent = attach("p", false, 60, new Connection()).session();
    Session transientSession = attach("t", true, 0, new Connection()).session();
    // A new persistent session is written once, so that "session present" survives a restart.
    assertThat(registry.dirtySnapshots())
        .singleElement()
        .satisfies(s -> assertThat(s.clientId()).isEqualTo("p"));
    assertThat(registry.dirtySnapshots()).isEmpty();

    subscribe(persistent, "x");
    subscribe(transientSession, "y");
    assertThat(registry.dirtySnapshots())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.subscriptions())
                    .extracting(StoredSubscription::filter)
                    .containsExactly("x"));
    assertThat(registry.dirtySnapshots()).isEmpty();
    assertThat(registry.persistentSnapshots())
        .extracting(StoredSession::clientId)
        .containsExactly("p");
  }

  @Test
  void restore_resubscribes_drops_invalid_filters_and_forgets_expired_sessions() {
    long now = clock.millis;
    ApplicationMessage queued =
        new ApplicationMessage(
            "a/b", new byte[] {1}, Qos.AT_LEAST_ONCE, false, MessageProperties.NONE, 0, "pub");
    StoredSession live =
        new StoredSession(
            "live",
            3600,
            now - 1_000,
            List.of(
                new StoredSubscription("a/+", 1, false, false, 0, 0),
                new StoredSubscription("bad/#/filter", 1, false, false, 0, 0),
                new StoredSubscription("$share/g/a/b", 0, false, false, 0, 0)),
            List.of(queued));
    StoredSession expired =
        new StoredSession(
            "old",
            60,
            now - 61_000,
            List.of(new StoredSubscription("a/b", 1, false, false, 0, 0)),
            List.of());

    registry.restore(List.of(live, expired), RULES, 100);

    assertThat(registry.get("old")).isNull();
    assertThat(ended).containsExactly("old");
    Session session = registry.get("live");
    assertThat(session.subscriptionCount()).isEqualTo(2);
    assertThat(tree.size()).isEqualTo(2);
    assertThat(subscribersOf("a/b")).containsExactly(session, session);
    assertThat(session.queuedCount()).isEqualTo(1);
    assertThat(session.isConnected()).isFalse();
  }
}
