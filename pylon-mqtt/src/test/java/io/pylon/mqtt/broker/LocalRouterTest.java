package io.pylon.mqtt.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.session.Delivery;
import io.pylon.mqtt.session.DropCounters;
import io.pylon.mqtt.session.Session;
import io.pylon.mqtt.session.SessionConnection;
import io.pylon.mqtt.session.SessionRegistry;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicRules;
import io.pylon.mqtt.topic.TopicTree;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routing merges a client's overlapping subscriptions into one delivery wherever its matches come
 * from: the first matching filter's subscribers (taken without lookups), later filters and shared
 * groups.
 */
class LocalRouterTest {

  private static final TopicRules RULES = new TopicRules(65_535, 65_535, true);

  private final TopicTree<Session> tree = new TopicTree<>();
  private final ScheduledExecutorService lifecycle = Executors.newSingleThreadScheduledExecutor();
  private final SessionRegistry registry =
      new SessionRegistry(tree, lifecycle, Clock.systemUTC(), new DropCounters(), id -> {});
  private final LocalRouter router = new LocalRouter(tree);

  @AfterEach
  void tearDown() {
    lifecycle.shutdownNow();
  }

  /** Collects what a session would write. */
  private static final class Recorder implements SessionConnection, Session.Writer {
    final List<Delivery> written = new ArrayList<>();

    @Override
    public void scheduleDrain() {}

    @Override
    public boolean isWritable() {
      return true;
    }

    @Override
    public void sessionTakenOver() {}

    @Override
    public int sendQuota() {
      return 100;
    }

    @Override
    public boolean writePublish(Delivery delivery, int packetId, boolean dup) {
      written.add(delivery);
      return true;
    }

    @Override
    public void writePubRel(int packetId) {}

    @Override
    public void flush() {}
  }

  private record Client(Session session, Recorder recorder) {
    List<Delivery> drain() {
      session.drainTo(recorder, recorder, System.currentTimeMillis());
      return recorder.written;
    }
  }

  private Client client(String id) throws Exception {
    Recorder recorder = new Recorder();
    Session session =
        registry.attach(id, true, 0, 100, recorder).get(5, TimeUnit.SECONDS).session();
    return new Client(session, recorder);
  }

  private void subscribe(Client client, String filter, SubscriptionOptions options) {
    TopicFilter parsed = RULES.parseFilter(filter);
    client.session().subscribe(parsed, options);
    tree.subscribe(parsed, client.session(), options);
  }

  private static ApplicationMessage message(String topic, String publisher) {
    return new ApplicationMessage(
        topic, new byte[] {1}, Qos.EXACTLY_ONCE, true, MessageProperties.NONE, 0, publisher);
  }

  @Test
  void route_mergesOverlapsAcrossFilters_andSharesDeliveriesWithTheSameTerms() throws Exception {
    List<Client> plain = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Client c = client("plain-" + i);
      subscribe(c, "t/#", SubscriptionOptions.ofQos(0));
      plain.add(c);
    }
    Client overlapping = client("overlapping");
    subscribe(overlapping, "t/#", new SubscriptionOptions(0, false, false, 0, 4));
    subscribe(overlapping, "t/+", new SubscriptionOptions(2, false, true, 0, 9));
    subscribe(overlapping, "t/x", new SubscriptionOptions(1, false, false, 0, 0));
    Client secondFilterOnly = client("second-only");
    subscribe(secondFilterOnly, "t/+", SubscriptionOptions.ofQos(1));
    Client publisher = client("publisher");
    subscribe(publisher, "t/#", new SubscriptionOptions(1, true, false, 0, 0));
    Client sharer = client("sharer");
    subscribe(sharer, "$share/g/t/x", SubscriptionOptions.ofQos(2));

    assertThat(router.route(message("t/x", "publisher"))).isEqualTo(7);

    Delivery first = plain.get(0).drain().get(0);
    for (Client c : plain) {
      assertThat(c.drain()).as(c.session().clientId()).containsExactly(first);
    }
    assertThat(first.qos()).isZero();
    assertThat(first.retain()).isFalse();

    List<Delivery> merged = overlapping.drain();
    assertThat(merged).hasSize(1);
    assertThat(merged.get(0).qos()).isEqualTo(2);
    assertThat(merged.get(0).retain()).as("retain as published on one of them").isTrue();
    assertThat(merged.get(0).subscriptionIds()).containsExactlyInAnyOrder(4, 9);

    assertThat(secondFilterOnly.drain()).singleElement().extracting(Delivery::qos).isEqualTo(1);
    assertThat(publisher.drain()).as("no local").isEmpty();
    assertThat(sharer.drain()).singleElement().extracting(Delivery::qos).isEqualTo(2);
  }

  @Test
  void route_reusedForTheNextMessage_startsFromNothing() throws Exception {
    Client a = client("a");
    subscribe(a, "x/#", new SubscriptionOptions(0, false, false, 0, 1));
    subscribe(a, "x/+", new SubscriptionOptions(0, false, false, 0, 2));
    Client b = client("b");
    subscribe(b, "y/+", SubscriptionOptions.ofQos(0));

    assertThat(router.route(message("x/1", "p"))).isEqualTo(1);
    assertThat(router.route(message("y/1", "p"))).isEqualTo(1);
    assertThat(router.route(message("x/2", "p"))).isEqualTo(1);

    assertThat(a.drain())
        .extracting(d -> d.message().topic() + ":" + d.subscriptionIds().length)
        .containsExactly("x/1:2", "x/2:2");
    assertThat(b.drain()).extracting(d -> d.message().topic()).containsExactly("y/1");
  }

  @Test
  void route_sharedAndNonSharedMatchOfOneClient_aCopyThroughEach() throws Exception {
    // MQTT 5 4.8.2: the non-shared subscription gives one copy, the share group another.
    Client both = client("both");
    subscribe(both, "s/#", new SubscriptionOptions(0, false, false, 0, 1));
    subscribe(both, "$share/g/s/+", new SubscriptionOptions(1, false, false, 0, 2));
    subscribe(both, "s/+", new SubscriptionOptions(0, false, false, 0, 3));

    assertThat(router.route(message("s/1", "p"))).isEqualTo(2);

    assertThat(both.drain())
        .extracting(d -> d.qos() + ":" + Arrays.toString(d.subscriptionIds()))
        .containsExactlyInAnyOrder("0:[1, 3]", "1:[2]");
  }
}
