package io.pylon.bench.jmh;

import io.pylon.mqtt.topic.SharedGroup;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicRules;
import io.pylon.mqtt.topic.TopicTree;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TopicTree#match} over a fleet-shaped subscription set: one match runs for every published
 * message, on the publisher's event loop.
 *
 * <p>The set (100,000 subscriptions by default) is what a device fleet on AWS IoT looks like: per
 * device, exact subscriptions to its shadow replies and its command topic, a {@code +} filter for
 * its jobs; per fleet, back-end consumers on {@code dt/fleet-N/+/telemetry} and archivers on {@code
 * dt/fleet-N/#}; a few devices under debugging with {@code $aws/things/dev/#}; a shared group of
 * ingest workers per fleet. No global {@code #}: it would turn every miss into a hit.
 *
 * <p>Topics rotate through 4,096 pre-built names per kind so that neither the JIT nor the CPU
 * caches see one constant topic.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TopicTreeBenchmark {

  private static final int TOPICS = 4_096;
  private static final int FLEETS = 100;
  private static final TopicRules RULES = new TopicRules(256, 8, false);

  @Param({"100000"})
  public int subscriptions;

  private final TopicTree<Object> tree = new TopicTree<>();
  private final CountingVisitor visitor = new CountingVisitor();
  private String[] telemetry;
  private String[] shadowReplies;
  private String[] commands;
  private String[] missAtRoot;
  private String[] missDeep;
  private int cursor;
  private int devices;

  /** Counts matches; a shared group counts as one, as the router delivers to one member. */
  static final class CountingVisitor implements TopicTree.Visitor<Object> {
    int matches;

    @Override
    public void subscription(Object subscriber, SubscriptionOptions options) {
      matches++;
    }

    @Override
    public void sharedGroup(SharedGroup<Object> group) {
      matches++;
    }
  }

  @Setup
  public void setUp() {
    // Per device: 2 exact shadow replies + 1 exact command + 1 "+" jobs filter = 4; the fleet-level
    // and debugging filters take about 5% of the total.
    devices = subscriptions * 95 / 100 / 4;
    int added = 0;
    SubscriptionOptions qos1 = SubscriptionOptions.ofQos(1);
    for (int d = 0; d < devices; d++) {
      Object device = new Object();
      String thing = "$aws/things/" + device(d);
      added += add("$aws/things/" + device(d) + "/shadow/update/accepted", device, qos1);
      added += add(thing + "/shadow/update/delta", device, qos1);
      added += add("cmd/" + fleet(d) + "/" + device(d) + "/request", device, qos1);
      added += add(thing + "/jobs/+/get/accepted", device, qos1);
    }
    Random random = new Random(42);
    int consumersPerFleet = Math.max(1, (subscriptions - added) * 40 / 100 / FLEETS);
    int archiversPerFleet = Math.max(1, (subscriptions - added) * 20 / 100 / FLEETS);
    int workersPerFleet = Math.max(1, (subscriptions - added) * 20 / 100 / FLEETS);
    for (int f = 0; f < FLEETS; f++) {
      for (int i = 0; i < consumersPerFleet; i++) {
        added += add("dt/fleet-" + f + "/+/telemetry", new Object(), qos1);
      }
      for (int i = 0; i < archiversPerFleet; i++) {
        added += add("dt/fleet-" + f + "/#", new Object(), SubscriptionOptions.ofQos(0));
      }
      for (int i = 0; i < workersPerFleet; i++) {
        added += add("$share/ingest/dt/fleet-" + f + "/+/telemetry", new Object(), qos1);
      }
    }
    while (added < subscriptions) {
      added += add("$aws/things/" + device(random.nextInt(devices)) + "/#", new Object(), qos1);
    }
    if (tree.size() != subscriptions) {
      throw new IllegalStateException(
          "built " + tree.size() + " subscriptions, wanted " + subscriptions);
    }

    telemetry = new String[TOPICS];
    shadowReplies = new String[TOPICS];
    commands = new String[TOPICS];
    missAtRoot = new String[TOPICS];
    missDeep = new String[TOPICS];
    for (int i = 0; i < TOPICS; i++) {
      int d = random.nextInt(devices);
      telemetry[i] = "dt/" + fleet(d) + "/" + device(d) + "/telemetry";
      shadowReplies[i] = "$aws/things/" + device(d) + "/shadow/update/accepted";
      commands[i] = "cmd/" + fleet(d) + "/" + device(d) + "/request";
      missAtRoot[i] = "sensors/" + device(d) + "/temperature";
      // Shares three levels with real subscriptions, then misses: a device nobody listens to.
      missDeep[i] = "$aws/things/" + device(devices + d) + "/shadow/update/accepted";
    }
  }

  private int add(String raw, Object subscriber, SubscriptionOptions options) {
    TopicFilter filter = RULES.parseFilter(raw);
    if (filter == null) {
      throw new IllegalStateException("invalid benchmark filter " + raw);
    }
    return tree.subscribe(filter, subscriber, options) ? 1 : 0;
  }

  private static String device(int d) {
    return "dev-" + d;
  }

  private static String fleet(int d) {
    return "fleet-" + (d % FLEETS);
  }

  private int match(String[] topics) {
    visitor.matches = 0;
    tree.match(topics[cursor++ & (TOPICS - 1)], visitor);
    return visitor.matches;
  }

  /**
   * Fleet telemetry: fan-out to the fleet's consumers, archivers and its shared group (31 matches
   * at 100,000 subscriptions: 20 + 10 + 1).
   */
  @Benchmark
  public int telemetryHit() {
    return match(telemetry);
  }

  /** A device's shadow reply: one exact subscription, sometimes a debugging {@code #} too. */
  @Benchmark
  public int shadowHit() {
    return match(shadowReplies);
  }

  /** A command to one device: its exact subscription. */
  @Benchmark
  public int commandHit() {
    return match(commands);
  }

  /** First level unknown: the cheapest miss. */
  @Benchmark
  public int missAtRoot() {
    return match(missAtRoot);
  }

  /** Unknown device under {@code $aws/things}: misses after walking two levels. */
  @Benchmark
  public int missDeep() {
    return match(missDeep);
  }
}
