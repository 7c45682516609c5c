package io.pylon.mqtt.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SubscriberSlotsTest {

  private static TopicTree.Entry<Object> entry(Object subscriber, int qos) {
    return new TopicTree.Entry<>(subscriber, SubscriptionOptions.ofQos(qos));
  }

  /** The entries a reader of the current view sees, in slot order. */
  private static <S> List<TopicTree.Entry<S>> visible(SubscriberSlots<S> slots) {
    SubscriberSlots.View<S> view = slots.view();
    List<TopicTree.Entry<S>> seen = new ArrayList<>();
    for (int i = 0; i < view.length(); i++) {
      if (view.slots()[i] != null) {
        seen.add(view.slots()[i]);
      }
    }
    return seen;
  }

  @Test
  void put_adds_then_replaces_in_place_and_remove_reports_what_it_did() {
    SubscriberSlots<Object> slots = new SubscriberSlots<>();
    Object a = new Object();
    Object b = new Object();

    assertThat(slots.put(entry(a, 0))).isTrue();
    assertThat(slots.put(entry(b, 0))).isTrue();
    assertThat(slots.put(entry(a, 1))).isFalse();

    assertThat(visible(slots))
        .extracting(e -> e.subscriber(), e -> e.options().qos())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(a, 1), org.assertj.core.groups.Tuple.tuple(b, 0));
    assertThat(slots.size()).isEqualTo(2);

    assertThat(slots.remove(new Object())).isFalse();
    assertThat(slots.remove(a)).isTrue();
    assertThat(slots.remove(a)).isFalse();
    assertThat(visible(slots)).extracting(TopicTree.Entry::subscriber).containsExactly(b);
    assertThat(slots.remove(b)).isTrue();
    assertThat(slots.size()).isZero();
    assertThat(slots.view().length()).isZero();
  }

  @Test
  void random_operations_agree_with_a_map_across_growth_index_and_compaction() {
    Random random = new Random(7);
    SubscriberSlots<Object> slots = new SubscriberSlots<>();
    Map<Object, Integer> model = new LinkedHashMap<>();
    Object[] subscribers = new Object[200];
    for (int i = 0; i < subscribers.length; i++) {
      subscribers[i] = "s" + i;
    }
    for (int step = 0; step < 50_000; step++) {
      Object s = subscribers[random.nextInt(subscribers.length)];
      // Phases that fill and then drain the node, so that every size is crossed both ways.
      boolean filling = (step / 2_000) % 2 == 0;
      if (random.nextInt(10) < (filling ? 7 : 3)) {
        int qos = random.nextInt(3);
        assertThat(slots.put(entry(s, qos))).isEqualTo(!model.containsKey(s));
        model.put(s, qos);
      } else {
        assertThat(slots.remove(s)).isEqualTo(model.remove(s) != null);
      }
      assertThat(slots.size()).isEqualTo(model.size());
      Map<Object, Integer> seen = new IdentityHashMap<>();
      for (TopicTree.Entry<Object> e : visible(slots)) {
        assertThat(seen.put(e.subscriber(), e.options().qos())).as("seen twice").isNull();
      }
      assertThat(seen).hasSize(model.size());
      model.forEach((k, v) -> assertThat(seen.get(k)).isEqualTo(v));
      // A view holds at most twice the subscribers it shows: emptied slots are compacted away.
      assertThat(slots.view().length()).isLessThanOrEqualTo(Math.max(1, 2 * model.size()));
    }
  }

  @Test
  void a_hundred_thousand_subscribers_of_one_node_come_and_go() {
    SubscriberSlots<Object> slots = new SubscriberSlots<>();
    List<Object> subscribers = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      Object s = new Object();
      subscribers.add(s);
      assertThat(slots.put(entry(s, 0))).isTrue();
    }
    assertThat(slots.view().length()).isEqualTo(100_000);
    for (int i = 0; i < 99_999; i++) {
      assertThat(slots.remove(subscribers.get(i))).isTrue();
    }
    assertThat(slots.size()).isEqualTo(1);
    assertThat(visible(slots))
        .extracting(TopicTree.Entry::subscriber)
        .containsExactly(subscribers.get(99_999));
    assertThat(slots.view().length()).isLessThanOrEqualTo(2);
  }

  /**
   * Readers iterate views while a writer churns subscribers through every path (append, grow,
   * clear, compact, replace). A subscriber that stays subscribed must be seen exactly once by every
   * read; a churning one at most once.
   */
  @Test
  @Timeout(60)
  void readers_racing_a_writer_never_see_a_subscriber_twice_or_miss_a_stable_one()
      throws Exception {
    SubscriberSlots<Object> slots = new SubscriberSlots<>();
    Object[] stable = new Object[20];
    for (int i = 0; i < stable.length; i++) {
      stable[i] = new Object();
      slots.put(entry(stable[i], 0));
    }
    Object[] churning = new Object[300];
    for (int i = 0; i < churning.length; i++) {
      churning[i] = new Object();
    }
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch readersStarted = new CountDownLatch(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Long>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(
                () -> {
                  readersStarted.countDown();
                  long reads = 0;
                  Map<Object, Boolean> seen = new IdentityHashMap<>();
                  while (!stop.get()) {
                    seen.clear();
                    SubscriberSlots.View<Object> view = slots.view();
                    for (int i = 0; i < view.length(); i++) {
                      TopicTree.Entry<Object> e = view.slots()[i];
                      if (e != null && seen.put(e.subscriber(), Boolean.TRUE) != null) {
                        throw new AssertionError("subscriber seen twice in one read");
                      }
                    }
                    for (Object s : stable) {
                      if (!seen.containsKey(s)) {
                        throw new AssertionError("a stable subscriber was missed");
                      }
                    }
                    reads++;
                  }
                  return reads;
                }));
      }
      assertThat(readersStarted.await(10, TimeUnit.SECONDS)).isTrue();
      Random random = new Random(11);
      for (int step = 0; step < 300_000; step++) {
        Object s = churning[random.nextInt(churning.length)];
        if (random.nextBoolean()) {
          slots.put(entry(s, random.nextInt(2)));
        } else {
          slots.remove(s);
        }
        if (step % 1_000 == 0) {
          // Replacing a stable subscriber's options must not hide it from a reader.
          slots.put(entry(stable[random.nextInt(stable.length)], random.nextInt(2)));
        }
      }
      stop.set(true);
      for (Future<Long> reader : readers) {
        assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }
}
