package io.pylon.server.rules;

import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.sql.IncomingMessage;
import io.pylon.domain.rules.sql.SqlResult;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.spi.BrokerListener;
import io.pylon.mqtt.spi.PublishInterceptor;
import io.pylon.mqtt.spi.PublishOrigin;
import io.pylon.mqtt.topic.SharedGroup;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicTree;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers every message the broker accepts to the rules whose FROM filter matches it, and Basic
 * Ingest messages ({@code $aws/rules/{rule}/...}) to the named rule only.
 *
 * <p>On the event loop only the rule index is consulted (a topic trie, as for subscriptions: no
 * scan of all rules); evaluation and actions run on a bounded pool. When the pool's queue is full
 * the message is dropped for rules (counted), never blocking or slowing the broker: AWS IoT, too,
 * sheds rule work under overload rather than throttling devices.
 */
public final class RuleEngine implements BrokerListener, PublishInterceptor, AutoCloseable {

  /** Topics that go to one rule only, never to subscribers. */
  public static final String BASIC_INGEST_PREFIX = "$aws/rules/";

  private static final Logger log = LoggerFactory.getLogger(RuleEngine.class);
  private static final SubscriptionOptions RULE_OPTIONS = SubscriptionOptions.ofQos(1);

  private final TopicTree<ActiveRule> index = new TopicTree<>();
  private final Map<String, ActiveRule> enabled = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor evaluators;
  private final RuleMetrics metrics;
  private final Clock clock;

  /**
   * @param threads evaluation threads
   * @param queueCapacity messages waiting for evaluation before new ones are dropped for rules
   */
  public RuleEngine(int threads, int queueCapacity, RuleMetrics metrics, Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.evaluators =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            r -> {
              Thread t = new Thread(r, "pylon-rules-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts running a rule, or replaces the running rule of the same name. */
  public synchronized void put(ActiveRule rule) {
    remove(rule.name());
    rule.statement()
        .topicFilter()
        .ifPresent(filter -> index.subscribe(filterOf(filter), rule, RULE_OPTIONS));
    enabled.put(rule.name(), rule);
  }

  /** Stops running a rule (deleted or disabled); messages already taken still finish. */
  public synchronized void remove(String ruleName) {
    ActiveRule old = enabled.remove(ruleName);
    if (old != null) {
      old.statement().topicFilter().ifPresent(filter -> index.unsubscribe(filterOf(filter), old));
    }
  }

  /** Whether a rule of that name is running. */
  public boolean isRunning(String ruleName) {
    return enabled.containsKey(ruleName);
  }

  private static TopicFilter filterOf(String filter) {
    return new TopicFilter(filter, filter, null);
  }

  @Override
  public void onPublished(ApplicationMessage message, PublishOrigin origin) {
    if (enabled.isEmpty()) {
      return;
    }
    String topic = message.topic();
    if (topic.startsWith(BASIC_INGEST_PREFIX)) {
      return; // served by onPublish below, for its one rule
    }
    Matches matches = new Matches();
    index.match(topic, matches);
    if (matches.rules == null) {
      return;
    }
    dispatch(matches.rules, message, topic, origin);
  }

  @Override
  public boolean handles(String topic) {
    return topic.startsWith(BASIC_INGEST_PREFIX);
  }

  @Override
  public Disposition onPublish(ApplicationMessage message, PublishOrigin origin) {
    String topic = message.topic();
    int end = topic.indexOf('/', BASIC_INGEST_PREFIX.length());
    String ruleName = topic.substring(BASIC_INGEST_PREFIX.length(), end < 0 ? topic.length() : end);
    ActiveRule rule = enabled.get(ruleName);
    if (rule == null) {
      metrics.basicIngestToUnknownRule();
      log.debug(
          "Basic Ingest message from client {} to rule {} dropped: no such enabled rule",
          origin.clientId(),
          ruleName);
    } else {
      // topic() in the rule does not see the $aws/rules/{rule}/ prefix.
      dispatch(List.of(rule), message, end < 0 ? "" : topic.substring(end + 1), origin);
    }
    return Disposition.CONSUMED;
  }

  private void dispatch(
      List<ActiveRule> rules, ApplicationMessage message, String topic, PublishOrigin origin) {
    try {
      evaluators.execute(() -> evaluate(rules, message, topic, origin));
    } catch (RejectedExecutionException e) {
      metrics.messageDropped();
    }
  }

  private void evaluate(
      List<ActiveRule> rules, ApplicationMessage message, String topic, PublishOrigin origin) {
    metrics.messageEvaluated();
    IncomingMessage incoming = IncomingMessages.of(message, topic, origin, clock.millis());
    for (ActiveRule rule : rules) {
      run(rule, incoming);
    }
  }

  /** Evaluates one rule against one message and starts its actions. */
  void run(ActiveRule rule, IncomingMessage incoming) {
    SqlResult result;
    try {
      result = rule.statement().evaluate(incoming, rule.environment());
    } catch (RuntimeException e) {
      metrics.evaluationFailed();
      log.debug(
          "rule {} failed on a message to {}: {}", rule.name(), incoming.topic(), e.getMessage());
      new RuleRun(rule, incoming, null, metrics, 0)
          .fail(new ErrorActionPayload.Failure("SqlEvaluation", rule.name(), messageOf(e)));
      return;
    }
    if (!result.matched()) {
      return;
    }
    metrics.ruleMatched();
    if (rule.actions().isEmpty()) {
      return;
    }
    ActionInvocation invocation =
        new ActionInvocation(rule.name(), incoming, result.payload(), rule.environment());
    RuleRun run = new RuleRun(rule, incoming, invocation, metrics, rule.actions().size());
    for (ActionLane lane : rule.actions()) {
      run.start(lane);
    }
  }

  static String messageOf(Throwable e) {
    Throwable cause = e;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  /** Collects the rules a topic matches. */
  private static final class Matches implements TopicTree.Visitor<ActiveRule> {
    /** Created on the first match: most messages match no rule. */
    List<ActiveRule> rules;

    @Override
    public void subscription(ActiveRule rule, SubscriptionOptions options) {
      if (rules == null) {
        rules = new ArrayList<>(2);
      }
      rules.add(rule);
    }

    @Override
    public void sharedGroup(SharedGroup<ActiveRule> group) {
      // Rules are never shared subscriptions.
    }
  }

  /**
   * A fresh trace id per message, as AWS gives each rule invocation a CloudWatch trace id. A random
   * (version 4) UUID from the thread's own generator: it only has to be unique, and {@link
   * UUID#randomUUID()} would draw from the shared SecureRandom for every message.
   */
  static String newTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(high, low).toString();
  }

  @Override
  public void close() {
    evaluators.shutdown();
    try {
      if (!evaluators.awaitTermination(5, TimeUnit.SECONDS)) {
        evaluators.shutdownNow();
      }
    } catch (InterruptedException e) {
      evaluators.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
