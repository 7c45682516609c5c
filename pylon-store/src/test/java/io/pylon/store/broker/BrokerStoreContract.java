package io.pylon.store.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.store.BrokerStore;
import io.pylon.mqtt.store.RetainedChange;
import io.pylon.mqtt.store.StoredInflight;
import io.pylon.mqtt.store.StoredSession;
import io.pylon.mqtt.store.StoredSubscription;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BrokerStore} must do. A subclass supplies {@link #open()}; the same suite runs
 * against {@link io.pylon.mqtt.store.MemoryBrokerStore} (to show the contract asks nothing an
 * in-memory map cannot give) and against each JDBC engine.
 *
 * <p>Stored values are compared through {@link MessageView} and {@link SessionView}, because the
 * records hold {@code byte[]} and so do not compare by content.
 */
abstract class BrokerStoreContract {

  /** When test messages count as retained; any fixed time will do. */
  static final long STORED_AT = 1_700_000_000_123L;

  private static final long NEVER_EXPIRES = 0xFFFFFFFFL;

  private BrokerStore store;

  /**
   * Opens the store on this test's storage. Called again after {@link BrokerStore#close()} to
   * reopen the same storage, which must then hold everything written before.
   */
  protected abstract BrokerStore open();

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private void reopen() {
    store.close();
    store = null;
    store = open();
  }

  // ---- retained messages ----

  @Test
  void retained_putThenLoadAll_returnsEveryFieldAndProperty() {
    ApplicationMessage message = fullMessage("sensors/1/temp", "21.5");

    store.retained().put(new RetainedMessage(message, STORED_AT));

    assertThat(retained()).containsExactly(MessageView.of(message));
  }

  @Test
  void retained_keepsTheTimeEachMessageWasStored_andAReplacementsTime() {
    store.retained().put(new RetainedMessage(fullMessage("t/1", "a"), 1_000L));
    store.retained().put(new RetainedMessage(fullMessage("t/2", "b"), 2_000L));
    store.retained().put(new RetainedMessage(fullMessage("t/1", "c"), 3_000L));

    reopen();

    assertThat(store.retained().loadAll())
        .extracting(RetainedMessage::topic, RetainedMessage::storedAtMillis)
        .containsExactlyInAnyOrder(tuple("t/1", 3_000L), tuple("t/2", 2_000L));
  }

  @Test
  void retained_noPropertiesNoPublisherNoExpiry_roundTrip() {
    ApplicationMessage message =
        new ApplicationMessage(
            "plain", bytes("x"), Qos.AT_MOST_ONCE, true, MessageProperties.NONE, 0, null);

    store.retained().put(new RetainedMessage(message, STORED_AT));

    List<ApplicationMessage> loaded = retainedMessages();
    assertThat(loaded).extracting(MessageView::of).containsExactly(MessageView.of(message));
    assertThat(loaded.get(0).properties().isEmpty()).isTrue();
  }

  @Test
  void retained_partialAndEmptyProperties_keepTheDifferenceBetweenEmptyAndAbsent() {
    MessageProperties properties =
        new MessageProperties(0, "", null, new byte[0], List.of(new UserProperty("", "")));
    ApplicationMessage message =
        new ApplicationMessage("partial", bytes("x"), Qos.AT_LEAST_ONCE, true, properties, 0, "");

    store.retained().put(new RetainedMessage(message, STORED_AT));

    assertThat(retained()).containsExactly(MessageView.of(message));
  }

  @Test
  void retained_putSameTopicAgain_replacesTheMessage() {
    store.retained().put(new RetainedMessage(fullMessage("a/b", "first"), STORED_AT));
    ApplicationMessage second =
        new ApplicationMessage(
            "a/b", bytes("second"), Qos.AT_MOST_ONCE, true, MessageProperties.NONE, 0, null);

    store.retained().put(new RetainedMessage(second, STORED_AT));

    assertThat(retained()).containsExactly(MessageView.of(second));
  }

  @Test
  void retained_severalTopics_loadAllReturnsEach() {
    List<ApplicationMessage> messages =
        IntStream.range(0, 20)
            .mapToObj(i -> fullMessage("fleet/" + i + "/status", "status " + i))
            .toList();

    messages.forEach(m -> store.retained().put(new RetainedMessage(m, STORED_AT)));

    assertThat(retained()).containsExactlyInAnyOrderElementsOf(views(messages));
  }

  @Test
  void retained_applyAll_appliesPutsAndClearsInOrder() {
    store.retained().put(new RetainedMessage(fullMessage("old", "1"), STORED_AT));
    ApplicationMessage a = fullMessage("a", "first");
    ApplicationMessage a2 = fullMessage("a", "second");
    ApplicationMessage b = fullMessage("b", "b");

    store
        .retained()
        .applyAll(
            List.of(
                new RetainedChange("a", new RetainedMessage(a, STORED_AT)),
                new RetainedChange("b", new RetainedMessage(b, STORED_AT)),
                new RetainedChange("old", null),
                new RetainedChange("a", new RetainedMessage(a2, STORED_AT)),
                new RetainedChange("never", null)));

    assertThat(retained()).containsExactlyInAnyOrderElementsOf(views(List.of(a2, b)));
  }

  @Test
  void retained_remove_clearsOnlyThatTopic() {
    store.retained().put(new RetainedMessage(fullMessage("keep", "1"), STORED_AT));
    store.retained().put(new RetainedMessage(fullMessage("drop", "2"), STORED_AT));

    store.retained().remove("drop");

    assertThat(retained()).extracting(MessageView::topic).containsExactly("keep");
  }

  @Test
  void retained_removeAbsentTopic_isNotAnError() {
    store.retained().remove("never/retained");

    assertThat(store.retained().loadAll()).isEmpty();
  }

  @Test
  void retained_payloadWithEveryByteValue_roundTrips() {
    byte[] payload = new byte[512];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    byte[] correlation = payload.clone();
    ApplicationMessage message =
        new ApplicationMessage(
            "binary",
            payload,
            Qos.AT_LEAST_ONCE,
            true,
            new MessageProperties(null, null, null, correlation, List.of()),
            0,
            null);

    store.retained().put(new RetainedMessage(message, STORED_AT));

    assertThat(retainedMessages().get(0).payload()).isEqualTo(payload);
    assertThat(retainedMessages().get(0).properties().correlationData()).isEqualTo(correlation);
  }

  @Test
  void retained_emptyPayload_loadsAsEmptyArrayNotNull() {
    ApplicationMessage message =
        new ApplicationMessage(
            "empty", new byte[0], Qos.AT_MOST_ONCE, true, MessageProperties.NONE, 0, null);

    store.retained().put(new RetainedMessage(message, STORED_AT));

    assertThat(retainedMessages().get(0).payload()).isNotNull().isEmpty();
  }

  @Test
  void retained_payloadOf128KiB_roundTrips() {
    byte[] payload = new byte[128 * 1024];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31 + (i >>> 8));
    }
    ApplicationMessage message =
        new ApplicationMessage(
            "large", payload, Qos.EXACTLY_ONCE, true, MessageProperties.NONE, 0, "uploader");

    store.retained().put(new RetainedMessage(message, STORED_AT));

    assertThat(retainedMessages().get(0).payload()).isEqualTo(payload);
  }

  @Test
  void retained_unicodeTopicAndProperties_roundTrip() {
    MessageProperties properties =
        new MessageProperties(
            1,
            "text/plain; charset=utf-8",
            "antworten/über/🚀",
            null,
            List.of(new UserProperty("ключ", "値 🔑")));
    ApplicationMessage message =
        new ApplicationMessage(
            "häuser/温度/🌡", bytes("ü"), Qos.AT_LEAST_ONCE, true, properties, 0, "client-ü");

    store.retained().put(new RetainedMessage(message, STORED_AT));

    assertThat(retained()).containsExactly(MessageView.of(message));
  }

  // ---- sessions ----

  @Test
  void sessions_saveThenLoadAll_returnsSubscriptionsAndPendingInOrder() {
    StoredSession session = session("device-1", 10, 50);

    store.sessions().save(session);

    assertThat(sessions()).containsExactly(SessionView.of(session));
  }

  @Test
  void sessions_subscriptionOptions_everyFieldRoundTrips() {
    List<StoredSubscription> subscriptions =
        List.of(
            new StoredSubscription("a/+/c", 0, false, false, 0, 0),
            new StoredSubscription("a/#", 1, true, false, 1, 1),
            new StoredSubscription("$share/group/x/y", 2, false, true, 2, 268_435_455),
            new StoredSubscription("#", 2, true, true, 2, 42));
    StoredSession session =
        new StoredSession("options", NEVER_EXPIRES, 1_700_000_000_123L, subscriptions, List.of());

    store.sessions().save(session);

    assertThat(sessions()).containsExactly(SessionView.of(session));
  }

  @Test
  void sessions_inflightPacketStateAndInboundQos2_roundTrip() {
    List<ApplicationMessage> messages = session("x", 0, 3).pending();
    StoredSession session =
        new StoredSession(
            "qos2",
            3600,
            0,
            List.of(new StoredSubscription("t/#", 2, false, false, 0, 0)),
            List.of(
                new StoredInflight(65_535, false, 1_700_000_000_001L, messages.get(0)),
                new StoredInflight(7, true, 1_700_000_000_002L, messages.get(1))),
            List.of(messages.get(2)),
            List.of(1, 300, 65_535));

    store.sessions().save(session);

    assertThat(sessions()).containsExactly(SessionView.of(session));

    // Replaced as a whole: nothing in flight any more.
    StoredSession acknowledged =
        new StoredSession("qos2", 3600, 0, List.of(), List.of(), List.of(), List.of());
    store.sessions().save(acknowledged);
    assertThat(sessions()).containsExactly(SessionView.of(acknowledged));
  }

  @Test
  void sessions_emptySession_roundTrips() {
    StoredSession session = new StoredSession("bare", 0, 0, List.of(), List.of());

    store.sessions().save(session);

    assertThat(sessions()).containsExactly(SessionView.of(session));
  }

  @Test
  void sessions_saveAgain_replacesSubscriptionsAndPending() {
    store.sessions().save(session("device-1", 10, 50));
    StoredSession replacement =
        new StoredSession(
            "device-1",
            60,
            1_700_000_999_000L,
            List.of(new StoredSubscription("only/this", 1, false, false, 0, 0)),
            List.of(fullMessage("only/this", "one left")));

    store.sessions().save(replacement);

    assertThat(sessions()).containsExactly(SessionView.of(replacement));
  }

  @Test
  void sessions_saveAgainWithMore_keepsNewOrder() {
    store.sessions().save(session("device-1", 2, 3));
    StoredSession grown = session("device-1", 12, 30);

    store.sessions().save(grown);

    assertThat(sessions()).containsExactly(SessionView.of(grown));
  }

  @Test
  void sessions_severalSessions_keptApart() {
    List<StoredSession> saved = List.of(session("a", 3, 4), session("b", 0, 7), session("c", 5, 0));

    saved.forEach(store.sessions()::save);

    assertThat(sessions())
        .containsExactlyInAnyOrderElementsOf(saved.stream().map(SessionView::of).toList());
  }

  @Test
  void sessions_saveAll_savesEveryOneAndReplacesExisting() {
    store.sessions().save(session("a", 1, 1));
    List<StoredSession> batch = List.of(session("a", 4, 2), session("b", 2, 9), session("c", 0, 0));

    store.sessions().saveAll(batch);

    assertThat(sessions())
        .containsExactlyInAnyOrderElementsOf(batch.stream().map(SessionView::of).toList());
  }

  @Test
  void sessions_remove_removesOnlyThatSessionAndItsRows() {
    store.sessions().save(session("keep", 3, 3));
    store.sessions().save(session("drop", 3, 3));

    store.sessions().remove("drop");

    assertThat(sessions()).extracting(SessionView::clientId).containsExactly("keep");
    StoredSession again = new StoredSession("drop", 5, 0, List.of(), List.of());
    store.sessions().save(again);
    assertThat(sessions()).contains(SessionView.of(again));
  }

  @Test
  void sessions_removeAbsent_isNotAnError() {
    store.sessions().remove("never-saved");

    assertThat(store.sessions().loadAll()).isEmpty();
  }

  @Test
  void sessions_pendingWithSameMessageTwice_keepsBothInOrder() {
    ApplicationMessage message = fullMessage("dup", "same");
    ApplicationMessage other = fullMessage("other", "between");
    StoredSession session =
        new StoredSession("dups", 30, 0, List.of(), List.of(message, other, message));

    store.sessions().save(session);

    assertThat(sessions()).containsExactly(SessionView.of(session));
  }

  // ---- durability and concurrency ----

  @Test
  void reopen_afterClose_keepsSessionsAndRetainedMessages() {
    ApplicationMessage retained = fullMessage("status/1", "online");
    StoredSession session = session("durable", 10, 100);
    store.retained().put(new RetainedMessage(retained, STORED_AT));
    store
        .retained()
        .put(new RetainedMessage(fullMessage("status/2", "removed before close"), STORED_AT));
    store.retained().remove("status/2");
    store.sessions().save(session);

    reopen();

    assertThat(retained()).containsExactly(MessageView.of(retained));
    assertThat(sessions()).containsExactly(SessionView.of(session));
  }

  @Test
  void sessions_concurrentSavesOfDifferentSessions_loseNothing() throws Exception {
    int threads = 8;
    int perThread = 25;
    List<StoredSession> expected = new ArrayList<>();
    List<Callable<Void>> tasks = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      List<StoredSession> mine = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        String clientId = "thread-" + t + "-client-" + i;
        // Each session is saved twice so that replacing also runs concurrently.
        mine.add(session(clientId, 2, 2));
        mine.add(session(clientId, 4, 6));
      }
      expected.addAll(mine.stream().filter(s -> s.subscriptions().size() == 4).toList());
      tasks.add(
          () -> {
            start.await();
            mine.forEach(store.sessions()::save);
            return null;
          });
    }

    runTogether(tasks, start);

    assertThat(sessions())
        .containsExactlyInAnyOrderElementsOf(expected.stream().map(SessionView::of).toList());
  }

  @Test
  void retained_concurrentPutsAndRemoves_loseNothing() throws Exception {
    int threads = 8;
    int perThread = 50;
    List<ApplicationMessage> expected = new ArrayList<>();
    List<Callable<Void>> tasks = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      List<ApplicationMessage> mine =
          IntStream.range(0, perThread)
              .mapToObj(i -> fullMessage("t/" + thread + "/" + i, "v" + i))
              .toList();
      expected.addAll(mine.subList(0, perThread / 2));
      tasks.add(
          () -> {
            start.await();
            mine.forEach(m -> store.retained().put(new RetainedMessage(m, STORED_AT)));
            mine.subList(perThread / 2, perThread).forEach(m -> store.retained().remove(m.topic()));
            return null;
          });
    }

    runTogether(tasks, start);

    assertThat(retained()).containsExactlyInAnyOrderElementsOf(views(expected));
  }

  // ---- helpers ----

  private static void runTogether(List<Callable<Void>> tasks, CountDownLatch start)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<Void>> futures = tasks.stream().map(pool::submit).toList();
      start.countDown();
      for (Future<Void> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private List<MessageView> retained() {
    return views(retainedMessages());
  }

  private List<ApplicationMessage> retainedMessages() {
    return store.retained().loadAll().stream().map(RetainedMessage::message).toList();
  }

  private List<SessionView> sessions() {
    return store.sessions().loadAll().stream().map(SessionView::of).toList();
  }

  private static List<MessageView> views(List<ApplicationMessage> messages) {
    return messages.stream().map(MessageView::of).toList();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A message using every field, with user properties that repeat a name (order matters). */
  static ApplicationMessage fullMessage(String topic, String payload) {
    MessageProperties properties =
        new MessageProperties(
            1,
            "application/json",
            "replies/" + topic,
            new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF},
            List.of(
                new UserProperty("trace", "abc"),
                new UserProperty("hop", "1"),
                new UserProperty("hop", "2")));
    return new ApplicationMessage(
        topic,
        bytes(payload),
        Qos.EXACTLY_ONCE,
        false,
        properties,
        1_900_000_000_000L,
        "publisher-" + topic.length());
  }

  /** A session with distinct subscriptions and pending messages, varied field by field. */
  static StoredSession session(String clientId, int subscriptions, int pending) {
    List<StoredSubscription> subs =
        IntStream.range(0, subscriptions)
            .mapToObj(
                i ->
                    new StoredSubscription(
                        clientId + "/filter/" + i + (i % 3 == 0 ? "/#" : "/+"),
                        i % 3,
                        i % 2 == 0,
                        i % 4 == 1,
                        i % 3,
                        i % 5 == 0 ? 0 : i))
            .toList();
    List<ApplicationMessage> messages =
        IntStream.range(0, pending)
            .mapToObj(
                i ->
                    i % 2 == 0
                        ? fullMessage(clientId + "/in/" + i, "pending " + i)
                        : new ApplicationMessage(
                            clientId + "/in/" + i,
                            new byte[] {(byte) i},
                            Qos.of(1 + i % 2),
                            i % 3 == 0,
                            MessageProperties.NONE,
                            0,
                            null))
            .toList();
    return new StoredSession(clientId, 3600, 1_700_000_000_000L + pending, subs, messages);
  }

  /** An {@link ApplicationMessage} with its byte arrays as Base64, so that equals compares them. */
  record MessageView(
      String topic,
      String payload,
      Qos qos,
      boolean retain,
      Integer payloadFormatIndicator,
      String contentType,
      String responseTopic,
      String correlationData,
      List<UserProperty> userProperties,
      long expiresAtMillis,
      String publisherClientId) {

    static MessageView of(ApplicationMessage m) {
      MessageProperties p = m.properties();
      return new MessageView(
          m.topic(),
          base64(m.payload()),
          m.qos(),
          m.retain(),
          p.payloadFormatIndicator(),
          p.contentType(),
          p.responseTopic(),
          base64(p.correlationData()),
          p.userProperties(),
          m.expiresAtMillis(),
          m.publisherClientId());
    }

    private static String base64(byte[] bytes) {
      return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }
  }

  /** A {@link StoredSession} whose pending messages compare by content. */
  record SessionView(
      String clientId,
      long expiryIntervalSeconds,
      long disconnectedAtMillis,
      List<StoredSubscription> subscriptions,
      List<InflightView> inflight,
      List<MessageView> pending,
      List<Integer> inboundQos2) {

    static SessionView of(StoredSession s) {
      return new SessionView(
          s.clientId(),
          s.expiryIntervalSeconds(),
          s.disconnectedAtMillis(),
          s.subscriptions(),
          s.inflight().stream()
              .map(
                  i ->
                      new InflightView(
                          i.packetId(),
                          i.released(),
                          i.sentAtMillis(),
                          views(List.of(i.message())).get(0)))
              .toList(),
          views(s.pending()),
          s.inboundQos2());
    }
  }

  /** A {@link StoredInflight} whose message compares by content. */
  record InflightView(int packetId, boolean released, long sentAtMillis, MessageView message) {}
}
