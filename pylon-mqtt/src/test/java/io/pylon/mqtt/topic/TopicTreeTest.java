package io.pylon.mqtt.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TopicTreeTest {

  private static final TopicRules RULES = new TopicRules(65_535, 65_535, true);

  /** A subscriber; identity matters to the tree, the name only to assertion messages. */
  static final class Sub {
    final String name;
    volatile boolean connected = true;

    Sub(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** What one match() reported, in a form that compares regardless of visiting order. */
  static final class Hits implements TopicTree.Visitor<Sub> {
    final List<String> subscriptions = new ArrayList<>();
    final List<SharedGroup<Sub>> groups = new ArrayList<>();

    @Override
    public void subscription(Sub subscriber, SubscriptionOptions options) {
      subscriptions.add(subscriber.name + "#" + options.subscriptionId());
    }

    @Override
    public void sharedGroup(SharedGroup<Sub> group) {
      groups.add(group);
    }

    List<String> sortedSubscriptions() {
      List<String> copy = new ArrayList<>(subscriptions);
      copy.sort(null);
      return copy;
    }

    /** Each group as "name:member,member" so two groups of one name on different filters differ. */
    List<String> sortedGroups() {
      List<String> out = new ArrayList<>();
      for (SharedGroup<Sub> g : groups) {
        List<String> members = new ArrayList<>();
        for (TopicTree.Entry<Sub> e : g.members) {
          members.add(e.subscriber().name);
        }
        members.sort(null);
        out.add(g.name() + ":" + String.join(",", members));
      }
      out.sort(null);
      return out;
    }
  }

  private static TopicFilter filter(String raw) {
    TopicFilter f = RULES.parseFilter(raw);
    assertThat(f).as("test filter %s", raw).isNotNull();
    return f;
  }

  private static Hits match(TopicTree<Sub> tree, String topic) {
    Hits hits = new Hits();
    tree.match(topic, hits);
    return hits;
  }

  private static SubscriptionOptions id(int subscriptionId) {
    return new SubscriptionOptions(1, false, false, 0, subscriptionId);
  }

  // ---------------------------------------------------------------- basic operations

  @Test
  void subscribe_match_unsubscribe() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub s = new Sub("s");
    assertThat(tree.subscribe(filter("sport/tennis/+"), s, id(1))).isTrue();
    assertThat(tree.size()).isEqualTo(1);

    assertThat(match(tree, "sport/tennis/player1").subscriptions).containsExactly("s#1");
    assertThat(match(tree, "sport/tennis").subscriptions).isEmpty();
    assertThat(match(tree, "sport/tennis/player1/ranking").subscriptions).isEmpty();

    assertThat(tree.unsubscribe(filter("sport/tennis/+"), s)).isTrue();
    assertThat(tree.unsubscribe(filter("sport/tennis/+"), s)).isFalse();
    assertThat(tree.size()).isZero();
    assertThat(match(tree, "sport/tennis/player1").subscriptions).isEmpty();
  }

  @Test
  void unsubscribe_of_unknown_filter_or_subscriber_is_false() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub a = new Sub("a");
    tree.subscribe(filter("x/y"), a, id(1));
    assertThat(tree.unsubscribe(filter("x/y/z"), a)).isFalse();
    assertThat(tree.unsubscribe(filter("x"), a)).isFalse();
    assertThat(tree.unsubscribe(filter("x/y"), new Sub("b"))).isFalse();
    assertThat(tree.unsubscribe(filter("$share/g/x/y"), a)).isFalse();
    assertThat(tree.size()).isEqualTo(1);
  }

  @Test
  void subscribing_again_replaces_the_options() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub s = new Sub("s");
    assertThat(tree.subscribe(filter("a/#"), s, id(1))).isTrue();
    assertThat(tree.subscribe(filter("a/#"), s, id(2))).isFalse();
    assertThat(tree.size()).isEqualTo(1);
    assertThat(match(tree, "a/b").subscriptions).containsExactly("s#2");

    // The same subscriber on another filter is a second subscription, reported once per filter.
    assertThat(tree.subscribe(filter("a/+"), s, id(3))).isTrue();
    assertThat(tree.size()).isEqualTo(2);
    assertThat(match(tree, "a/b").sortedSubscriptions()).containsExactly("s#2", "s#3");
  }

  @Test
  void replacing_a_shared_members_options_keeps_one_member() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub s = new Sub("s");
    assertThat(tree.subscribe(filter("$share/g/a"), s, id(1))).isTrue();
    assertThat(tree.subscribe(filter("$share/g/a"), s, id(2))).isFalse();
    assertThat(tree.size()).isEqualTo(1);
    Hits hits = match(tree, "a");
    assertThat(hits.groups).hasSize(1);
    assertThat(hits.groups.get(0).size()).isEqualTo(1);
    assertThat(hits.groups.get(0).pick(x -> true).options().subscriptionId()).isEqualTo(2);
  }

  @Test
  void hash_matches_the_parent_level_and_plus_matches_empty_levels() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub s = new Sub("s");
    tree.subscribe(filter("sport/#"), s, id(1));
    tree.subscribe(filter("sport/+"), s, id(2));
    tree.subscribe(filter("+/+"), s, id(3));
    tree.subscribe(filter("#"), s, id(4));

    assertThat(match(tree, "sport").sortedSubscriptions()).containsExactly("s#1", "s#4");
    assertThat(match(tree, "sport/").sortedSubscriptions())
        .containsExactly("s#1", "s#2", "s#3", "s#4");
    assertThat(match(tree, "/").sortedSubscriptions()).containsExactly("s#3", "s#4");
  }

  @Test
  void wildcards_at_the_first_level_do_not_match_dollar_topics() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub s = new Sub("s");
    tree.subscribe(filter("#"), s, id(1));
    tree.subscribe(filter("+/x"), s, id(2));
    tree.subscribe(filter("+"), s, id(3));
    tree.subscribe(filter("$SYS/#"), s, id(4));
    tree.subscribe(filter("$SYS/+"), s, id(5));
    tree.subscribe(filter("$share/g/#"), s, id(6));

    assertThat(match(tree, "$SYS/x").sortedSubscriptions()).containsExactly("s#4", "s#5");
    assertThat(match(tree, "$SYS/x").groups).isEmpty();
    assertThat(match(tree, "$SYS").sortedSubscriptions()).containsExactly("s#4");
    assertThat(match(tree, "a/x").sortedSubscriptions()).containsExactly("s#1", "s#2");
    assertThat(match(tree, "a/x").groups).hasSize(1);
  }

  // ---------------------------------------------------------------- shared groups

  @Test
  void shared_group_is_reported_once_and_picks_round_robin() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub a = new Sub("a");
    Sub b = new Sub("b");
    Sub c = new Sub("c");
    for (Sub s : List.of(a, b, c)) {
      tree.subscribe(filter("$share/workers/jobs/+"), s, id(7));
    }
    assertThat(tree.size()).isEqualTo(3);

    Map<String, Integer> picks = new TreeMap<>();
    for (int i = 0; i < 300; i++) {
      Hits hits = match(tree, "jobs/1");
      assertThat(hits.subscriptions).isEmpty();
      assertThat(hits.groups).hasSize(1);
      SharedGroup<Sub> group = hits.groups.get(0);
      assertThat(group.name()).isEqualTo("workers");
      picks.merge(group.pick(s -> s.connected).subscriber().name, 1, Integer::sum);
    }
    assertThat(picks)
        .containsExactly(Map.entry("a", 100), Map.entry("b", 100), Map.entry("c", 100));
  }

  @Test
  void shared_group_prefers_connected_members_and_falls_back_when_none_is() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub a = new Sub("a");
    Sub b = new Sub("b");
    Sub c = new Sub("c");
    for (Sub s : List.of(a, b, c)) {
      tree.subscribe(filter("$share/g/t"), s, id(1));
    }
    a.connected = false;
    c.connected = false;
    SharedGroup<Sub> group = match(tree, "t").groups.get(0);
    for (int i = 0; i < 50; i++) {
      assertThat(group.pick(s -> s.connected).subscriber()).isSameAs(b);
    }

    b.connected = false;
    Map<String, Integer> picks = new TreeMap<>();
    for (int i = 0; i < 30; i++) {
      picks.merge(group.pick(s -> s.connected).subscriber().name, 1, Integer::sum);
    }
    // Nobody connected: still one member per message, spread over all of them (they queue it).
    assertThat(picks).containsOnlyKeys("a", "b", "c");
    assertThat(picks.values()).allMatch(n -> n == 10);
  }

  @Test
  void groups_are_distinct_per_name_and_per_filter_and_coexist_with_plain_subscriptions() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub a = new Sub("a");
    Sub b = new Sub("b");
    tree.subscribe(filter("$share/g1/t/+"), a, id(1));
    tree.subscribe(filter("$share/g2/t/+"), b, id(2));
    tree.subscribe(filter("$share/g1/t/#"), b, id(3));
    tree.subscribe(filter("t/+"), a, id(4));

    Hits hits = match(tree, "t/x");
    assertThat(hits.sortedGroups()).containsExactly("g1:a", "g1:b", "g2:b");
    assertThat(hits.subscriptions).containsExactly("a#4");

    assertThat(tree.unsubscribe(filter("$share/g1/t/+"), a)).isTrue();
    assertThat(match(tree, "t/x").sortedGroups()).containsExactly("g1:b", "g2:b");
    assertThat(tree.unsubscribe(filter("$share/g1/t/+"), a)).isFalse();
  }

  @Test
  void empty_shared_group_disappears() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub a = new Sub("a");
    Sub b = new Sub("b");
    tree.subscribe(filter("$share/g/t"), a, id(1));
    tree.subscribe(filter("$share/g/t"), b, id(1));
    tree.unsubscribe(filter("$share/g/t"), a);
    assertThat(match(tree, "t").sortedGroups()).containsExactly("g:b");
    tree.unsubscribe(filter("$share/g/t"), b);
    assertThat(match(tree, "t").groups).isEmpty();
    assertThat(tree.size()).isZero();
    assertThat(nodeCount(tree)).isEqualTo(1);
  }

  // ---------------------------------------------------------------- pruning

  @Test
  void unsubscribing_everything_prunes_the_tree_and_it_keeps_working() {
    TopicTree<Sub> tree = new TopicTree<>();
    Random random = new Random(42);
    List<Object[]> subscriptions = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      Sub s = new Sub("s" + i);
      TopicFilter f = filter(randomFilter(random, random.nextInt(10) == 0));
      if (tree.subscribe(f, s, id(i))) {
        subscriptions.add(new Object[] {f, s});
      }
    }
    assertThat(tree.size()).isEqualTo(subscriptions.size());
    assertThat(nodeCount(tree)).isGreaterThan(10);

    java.util.Collections.shuffle(subscriptions, random);
    for (Object[] sub : subscriptions) {
      assertThat(tree.unsubscribe((TopicFilter) sub[0], (Sub) sub[1])).isTrue();
    }
    assertThat(tree.size()).isZero();
    // Only the root is left: no empty intermediate nodes linger after their last subscription.
    assertThat(nodeCount(tree)).isEqualTo(1);
    assertThat(match(tree, "a/b/c").subscriptions).isEmpty();

    Sub late = new Sub("late");
    tree.subscribe(filter("a/+/c"), late, id(1));
    tree.subscribe(filter("a/#"), late, id(2));
    assertThat(match(tree, "a/b/c").sortedSubscriptions()).containsExactly("late#1", "late#2");
    assertThat(tree.size()).isEqualTo(2);
  }

  @Test
  void pruning_stops_at_nodes_that_still_hold_subscriptions_or_children() {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub s = new Sub("s");
    tree.subscribe(filter("a"), s, id(1));
    tree.subscribe(filter("a/b/c"), s, id(2));
    tree.subscribe(filter("a/b/d"), s, id(3));
    int full = nodeCount(tree);

    tree.unsubscribe(filter("a/b/c"), s);
    assertThat(nodeCount(tree)).isEqualTo(full - 1);
    assertThat(match(tree, "a/b/d").subscriptions).containsExactly("s#3");
    assertThat(match(tree, "a").subscriptions).containsExactly("s#1");

    tree.unsubscribe(filter("a/b/d"), s);
    // "b" went with its last child; "a" stays for its own subscription.
    assertThat(nodeCount(tree)).isEqualTo(2);
    assertThat(match(tree, "a").subscriptions).containsExactly("s#1");
  }

  // ---------------------------------------------------------------- property test

  /**
   * The tree must report exactly what a brute-force scan with {@link TopicRules#matches} reports,
   * for random filters and topics over a small alphabet (so that collisions, empty levels, {@code
   * $} topics and wildcard overlaps are common).
   */
  @Test
  void matches_agree_with_brute_force_reference() {
    long seed = Long.getLong("topictree.seed", 0x7091C7EEL);
    System.out.println(
        "TopicTreeTest property seed: " + seed + " (override with -Dtopictree.seed=)");
    Random random = new Random(seed);
    long cases = 0;
    for (int round = 0; round < 30; round++) {
      TopicTree<Sub> tree = new TopicTree<>();
      Reference reference = new Reference();
      List<Sub> subs = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        subs.add(new Sub("s" + i));
      }
      int subscriptionIds = 0;
      int operations = 50 + random.nextInt(250);
      for (int op = 0; op < operations; op++) {
        Sub sub = subs.get(random.nextInt(subs.size()));
        if (random.nextInt(4) == 0 && !reference.isEmpty()) {
          Reference.Key key = reference.randomKey(random);
          boolean removed = tree.unsubscribe(filter(key.raw), key.sub);
          assertThat(removed).isTrue();
          reference.remove(key);
        } else if (random.nextInt(10) == 0) {
          String raw = randomFilter(random, random.nextInt(6) == 0);
          assertThat(tree.unsubscribe(filter(raw), sub))
              .as("unsubscribe %s for %s", raw, sub)
              .isEqualTo(reference.contains(raw, sub));
          reference.remove(new Reference.Key(raw, sub));
        } else {
          String raw = randomFilter(random, random.nextInt(6) == 0);
          int sid = ++subscriptionIds;
          boolean added = tree.subscribe(filter(raw), sub, id(sid));
          assertThat(added)
              .as("subscribe %s for %s", raw, sub)
              .isEqualTo(reference.put(raw, sub, sid));
        }
        assertThat(tree.size()).isEqualTo(reference.size());
      }
      for (int t = 0; t < 400; t++) {
        String topic = randomTopic(random);
        Hits hits = match(tree, topic);
        assertThat(hits.sortedSubscriptions())
            .as("topic %s", topic)
            .isEqualTo(reference.expectedSubscriptions(topic));
        assertThat(hits.sortedGroups())
            .as("groups for topic %s", topic)
            .isEqualTo(reference.expectedGroups(topic));
        cases++;
      }
    }
    assertThat(cases).isGreaterThanOrEqualTo(10_000);
  }

  /** The model: every subscription as a (raw filter, subscriber) key with its current options. */
  static final class Reference {
    record Key(String raw, Sub sub) {}

    private final Map<Key, Integer> ids = new LinkedHashMap<>();
    private final Map<String, TopicFilter> parsed = new HashMap<>();

    private TopicFilter parsed(String raw) {
      return parsed.computeIfAbsent(raw, RULES::parseFilter);
    }

    boolean put(String raw, Sub sub, int sid) {
      return ids.put(new Key(raw, sub), sid) == null;
    }

    void remove(Key key) {
      ids.remove(key);
    }

    boolean contains(String raw, Sub sub) {
      return ids.containsKey(new Key(raw, sub));
    }

    boolean isEmpty() {
      return ids.isEmpty();
    }

    int size() {
      return ids.size();
    }

    Key randomKey(Random random) {
      int n = random.nextInt(ids.size());
      for (Key k : ids.keySet()) {
        if (n-- == 0) {
          return k;
        }
      }
      throw new AssertionError();
    }

    List<String> expectedSubscriptions(String topic) {
      List<String> out = new ArrayList<>();
      for (Map.Entry<Key, Integer> e : ids.entrySet()) {
        TopicFilter f = parsed(e.getKey().raw);
        if (!f.isShared() && TopicRules.matches(f.filter(), topic)) {
          out.add(e.getKey().sub.name + "#" + e.getValue());
        }
      }
      out.sort(null);
      return out;
    }

    List<String> expectedGroups(String topic) {
      // One group per (filter, share name) with at least one member.
      Map<String, List<String>> groups = new HashMap<>();
      for (Key k : ids.keySet()) {
        TopicFilter f = parsed(k.raw);
        if (f.isShared() && TopicRules.matches(f.filter(), topic)) {
          groups
              .computeIfAbsent(f.filter() + "\u0000" + f.shareGroup(), x -> new ArrayList<>())
              .add(k.sub.name);
        }
      }
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : groups.entrySet()) {
        List<String> members = e.getValue();
        members.sort(null);
        out.add(
            e.getKey().substring(e.getKey().indexOf('\u0000') + 1)
                + ":"
                + String.join(",", members));
      }
      out.sort(null);
      return out;
    }
  }

  private static final String[] LEVELS = {"a", "b", "c", "", "dev-1"};

  static String randomFilter(Random random, boolean shared) {
    int n = 1 + random.nextInt(5);
    StringBuilder sb = new StringBuilder();
    if (shared) {
      sb.append("$share/g").append(random.nextInt(3)).append('/');
    }
    int prefix = sb.length();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append('/');
      }
      int r = random.nextInt(100);
      if (i == n - 1 && r < 15) {
        sb.append('#');
      } else if (r < 35) {
        sb.append('+');
      } else if (i == 0 && r < 42) {
        sb.append(random.nextBoolean() ? "$SYS" : "$aws");
      } else {
        sb.append(LEVELS[random.nextInt(LEVELS.length)]);
      }
    }
    if (sb.length() == prefix) {
      // A single empty level is an empty filter, which is invalid.
      sb.append('c');
    }
    return sb.toString();
  }

  static String randomTopic(Random random) {
    int n = 1 + random.nextInt(6);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append('/');
      }
      if (i == 0 && random.nextInt(8) == 0) {
        sb.append(random.nextBoolean() ? "$SYS" : "$aws");
      } else {
        sb.append(LEVELS[random.nextInt(LEVELS.length)]);
      }
    }
    return sb.length() == 0 ? "c" : sb.toString();
  }

  // ---------------------------------------------------------------- concurrency

  /**
   * Writers churn their own subscriptions while readers match. Readers must never fail and must
   * always see the subscriptions nobody touches, even when a churned sibling or child of theirs is
   * pruned; at the end the size and the matches equal the union of what each writer kept.
   */
  @Test
  @Timeout(60)
  void concurrent_subscribe_unsubscribe_and_match() throws Exception {
    TopicTree<Sub> tree = new TopicTree<>();
    Sub stable = new Sub("stable");
    tree.subscribe(filter("a/b/c"), stable, id(1));
    tree.subscribe(filter("+/b/#"), stable, id(2));
    tree.subscribe(filter("$share/g/a/b/c"), stable, id(3));

    int writers = 4;
    int readers = 2;
    int opsPerWriter = 25_000;
    ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong matchesDone = new AtomicLong();
    ConcurrentLinkedQueue<String> readerErrors = new ConcurrentLinkedQueue<>();
    List<Future<Map<String, Integer>>> kept = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        final int writer = w;
        kept.add(
            pool.submit(
                () -> {
                  Random random = new Random(1000 + writer);
                  List<Sub> mine = new ArrayList<>();
                  for (int i = 0; i < 8; i++) {
                    mine.add(new Sub("w" + writer + "-" + i));
                  }
                  // What this writer holds: "filter|sub index" -> subscription id.
                  Map<String, Integer> model = new HashMap<>();
                  start.await();
                  for (int op = 0; op < opsPerWriter; op++) {
                    int si = random.nextInt(mine.size());
                    String raw = randomFilterNear(random);
                    String key = raw + "|" + si;
                    if (model.containsKey(key) && random.nextBoolean()) {
                      assertThat(tree.unsubscribe(filter(raw), mine.get(si))).isTrue();
                      model.remove(key);
                    } else {
                      int sid = op + 1;
                      boolean added = tree.subscribe(filter(raw), mine.get(si), id(sid));
                      assertThat(added).isEqualTo(model.put(key, sid) == null);
                    }
                  }
                  return model;
                }));
      }
      List<Future<?>> readerFutures = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        readerFutures.add(
            pool.submit(
                () -> {
                  start.await();
                  while (writing.get()) {
                    Hits hits = match(tree, "a/b/c");
                    if (!hits.subscriptions.contains("stable#1")
                        || !hits.subscriptions.contains("stable#2")) {
                      readerErrors.add("stable subscription missing: " + hits.subscriptions);
                    }
                    boolean groupSeen = false;
                    for (SharedGroup<Sub> g : hits.groups) {
                      TopicTree.Entry<Sub> picked = g.pick(s -> s.connected);
                      // A churned group may empty between match and pick (pick then answers null,
                      // which
                      // the router skips); the stable member keeps group "g" of "a/b/c" from ever
                      // emptying.
                      if (g.name().equals("g")) {
                        groupSeen = true;
                        if (picked == null) {
                          readerErrors.add("group g lost its stable member");
                        }
                      }
                    }
                    if (!groupSeen) {
                      readerErrors.add("stable shared group missing");
                    }
                    match(tree, "a/b/c/d/e");
                    match(tree, "$SYS/b");
                    matchesDone.incrementAndGet();
                  }
                  return null;
                }));
      }
      start.countDown();
      List<Map<String, Integer>> models = new ArrayList<>();
      for (Future<Map<String, Integer>> f : kept) {
        models.add(f.get(50, TimeUnit.SECONDS));
      }
      writing.set(false);
      for (Future<?> f : readerFutures) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertThat(readerErrors).isEmpty();
      assertThat(matchesDone.get()).isPositive();

      int expectedSize = 3;
      for (Map<String, Integer> m : models) {
        expectedSize += m.size();
      }
      assertThat(tree.size()).isEqualTo(expectedSize);

      // Final contents equal the writers' models, checked against the brute-force reference.
      Reference reference = new Reference();
      reference.put("a/b/c", stable, 1);
      reference.put("+/b/#", stable, 2);
      reference.put("$share/g/a/b/c", stable, 3);
      Map<String, Sub> byName = new HashMap<>();
      for (int w = 0; w < writers; w++) {
        for (Map.Entry<String, Integer> e : models.get(w).entrySet()) {
          String[] parts = e.getKey().split("\\|");
          String name = "w" + w + "-" + parts[1];
          Sub sub = byName.computeIfAbsent(name, Sub::new);
          reference.put(parts[0], sub, e.getValue());
        }
      }
      Random random = new Random(7);
      for (int i = 0; i < 2_000; i++) {
        String topic =
            i % 2 == 0 ? randomTopic(random) : "a/b/" + LEVELS[random.nextInt(LEVELS.length)];
        Hits hits = match(tree, topic);
        assertThat(hits.sortedSubscriptions())
            .as(topic)
            .isEqualTo(reference.expectedSubscriptions(topic));
        assertThat(hits.sortedGroups()).as(topic).isEqualTo(reference.expectedGroups(topic));
      }
    } finally {
      writing.set(false);
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Filters that share prefixes with the stable ones, so that pruning runs next to live nodes. */
  private static String randomFilterNear(Random random) {
    String[] choices = {
      "a/b",
      "a/b/c/d",
      "a/b/c/#",
      "a/b/+",
      "a/+/c",
      "+/b/c/d/e",
      "a/b/c/d/e",
      "$share/g/a/b/c/d",
      "$share/h/a/b/c",
      "$share/g/a/b",
      "x/y",
      "#",
      "a/#",
      "$SYS/b"
    };
    return random.nextInt(8) == 0
        ? randomFilter(random, random.nextInt(5) == 0)
        : choices[random.nextInt(choices.length)];
  }

  // ---------------------------------------------------------------- internals

  /**
   * Counts the trie's nodes (root included) by reflection: pruning is invisible through the public
   * API, and an unpruned trie is a memory leak in a broker with churning device ids.
   */
  static int nodeCount(TopicTree<?> tree) {
    try {
      Field rootField = TopicTree.class.getDeclaredField("root");
      rootField.setAccessible(true);
      return countNodes(rootField.get(tree));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("TopicTree internals changed; update nodeCount()", e);
    }
  }

  private static int countNodes(Object node) throws ReflectiveOperationException {
    Field childrenField = node.getClass().getDeclaredField("children");
    childrenField.setAccessible(true);
    Map<?, ?> children = (Map<?, ?>) childrenField.get(node);
    int n = 1;
    if (children != null) {
      for (Object child : children.values()) {
        n += countNodes(child);
      }
    }
    return n;
  }
}
