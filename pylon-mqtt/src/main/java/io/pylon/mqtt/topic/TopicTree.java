package io.pylon.mqtt.topic;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The subscription index: a trie over topic levels, matched once per published message.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>Threading: {@link #match} runs concurrently on every event loop and takes no lock; it reads
 *       published snapshots ({@link SubscriberSlots}, copy-on-write arrays for share groups) and
 *       concurrent maps. Mutations ({@link #subscribe}, {@link #unsubscribe}) are far rarer than
 *       matches and serialise on the tree's monitor, which makes pruning empty nodes simple: a
 *       reader racing a prune only sees the last state of a node that was already empty.
 *   <li>Each subscriber appears at most once per node and share group: subscribing again replaces
 *       the options, as MQTT requires for an identical filter.
 *   <li>Filters starting with a wildcard do not match topics starting with {@code $}
 *       [MQTT-4.7.2-1].
 *   <li>Matching allocates one substring per topic level for the child lookup; {@code
 *       TopicTreeBenchmark} measures it.
 * </ul>
 */
public final class TopicTree<S> {

  /** One subscriber's options at a node. */
  public record Entry<S>(S subscriber, SubscriptionOptions options) {}

  /** Receives the matches of one topic. */
  public interface Visitor<S> {
    void subscription(S subscriber, SubscriptionOptions options);

    void sharedGroup(SharedGroup<S> group);

    /**
     * Every non-shared subscription of one matching filter: {@code entries[0, length)}, skipping
     * nulls, in which no subscriber appears twice. A visitor that merges a subscriber's overlapping
     * subscriptions can take the first such batch without looking anything up. The array is the
     * tree's own: read it during this call only, and never modify it.
     */
    default void subscriptions(Entry<S>[] entries, int length) {
      for (int i = 0; i < length; i++) {
        Entry<S> entry = entries[i];
        if (entry != null) {
          subscription(entry.subscriber(), entry.options());
        }
      }
    }
  }

  @SuppressWarnings("rawtypes")
  private static final Entry[] NO_ENTRIES = new Entry[0];

  @SuppressWarnings("rawtypes")
  private static final SharedGroup[] NO_GROUPS = new SharedGroup[0];

  private final Node<S> root = new Node<>(null, null);
  private final AtomicInteger size = new AtomicInteger();

  /**
   * Adds or replaces a subscription.
   *
   * @return true when the subscription is new, false when it replaced one
   */
  public synchronized boolean subscribe(
      TopicFilter filter, S subscriber, SubscriptionOptions options) {
    Node<S> node = root;
    for (String level : levels(filter.filter())) {
      node = node.childOrCreate(level);
    }
    Entry<S> entry = new Entry<>(subscriber, options);
    boolean added;
    if (filter.isShared()) {
      SharedGroup<S> group = node.group(filter.shareGroup());
      if (group == null) {
        group = new SharedGroup<>(filter.shareGroup(), newEntries(0));
        node.groups = append(node.groups, group);
      }
      Entry<S>[] replaced = replaceOrAppend(group.members, entry);
      added = replaced.length != group.members.length;
      group.members = replaced;
    } else {
      if (node.subscribers == null) {
        node.subscribers = new SubscriberSlots<>();
      }
      added = node.subscribers.put(entry);
    }
    if (added) {
      size.incrementAndGet();
    }
    return added;
  }

  /** Removes a subscription; returns false when there was none. */
  public synchronized boolean unsubscribe(TopicFilter filter, S subscriber) {
    Node<S> node = root;
    for (String level : levels(filter.filter())) {
      node = node.children == null ? null : node.children.get(level);
      if (node == null) {
        return false;
      }
    }
    boolean removed;
    if (filter.isShared()) {
      SharedGroup<S> group = node.group(filter.shareGroup());
      if (group == null) {
        return false;
      }
      Entry<S>[] remaining = without(group.members, subscriber);
      removed = remaining.length != group.members.length;
      group.members = remaining;
      if (remaining.length == 0) {
        node.groups = withoutGroup(node.groups, group);
      }
    } else {
      removed = node.subscribers != null && node.subscribers.remove(subscriber);
      if (removed && node.subscribers.size() == 0) {
        node.subscribers = null;
      }
    }
    if (removed) {
      size.decrementAndGet();
      prune(node);
    }
    return removed;
  }

  /** Visits every subscription whose filter matches the topic name. */
  public void match(String topic, Visitor<S> visitor) {
    matchLevel(root, topic, 0, visitor);
  }

  /** Number of subscriptions, shared members included. */
  public int size() {
    return size.get();
  }

  private void matchLevel(Node<S> node, String topic, int start, Visitor<S> visitor) {
    Map<String, Node<S>> children = node.children;
    if (start > topic.length()) {
      // All levels consumed: this node's own subscribers match, and so does "#" below it
      // ("sport/#" matches "sport").
      visitAll(node, visitor);
      if (children != null) {
        Node<S> hash = children.get("#");
        if (hash != null) {
          visitAll(hash, visitor);
        }
      }
      return;
    }
    if (children == null) {
      return;
    }
    boolean wildcardsAllowed = start > 0 || topic.isEmpty() || topic.charAt(0) != '$';
    if (wildcardsAllowed) {
      Node<S> hash = children.get("#");
      if (hash != null) {
        visitAll(hash, visitor);
      }
    }
    int end = topic.indexOf('/', start);
    if (end < 0) {
      end = topic.length();
    }
    if (wildcardsAllowed) {
      Node<S> plus = children.get("+");
      if (plus != null) {
        matchLevel(plus, topic, end + 1, visitor);
      }
    }
    Node<S> exact = children.get(topic.substring(start, end));
    if (exact != null) {
      matchLevel(exact, topic, end + 1, visitor);
    }
  }

  private void visitAll(Node<S> node, Visitor<S> visitor) {
    SubscriberSlots<S> subscribers = node.subscribers;
    if (subscribers != null) {
      SubscriberSlots.View<S> view = subscribers.view();
      if (view.length() > 0) {
        visitor.subscriptions(view.slots(), view.length());
      }
    }
    for (SharedGroup<S> group : node.groups) {
      visitor.sharedGroup(group);
    }
  }

  private void prune(Node<S> node) {
    while (node.parent != null
        && node.subscribers == null
        && node.groups.length == 0
        && (node.children == null || node.children.isEmpty())) {
      node.parent.children.remove(node.level, node);
      node = node.parent;
    }
  }

  private static String[] levels(String filter) {
    return filter.split("/", -1);
  }

  @SuppressWarnings("unchecked")
  private static <S> Entry<S>[] newEntries(int n) {
    return n == 0 ? NO_ENTRIES : new Entry[n];
  }

  private static <S> Entry<S>[] replaceOrAppend(Entry<S>[] entries, Entry<S> entry) {
    for (int i = 0; i < entries.length; i++) {
      if (entries[i].subscriber() == entry.subscriber()) {
        Entry<S>[] copy = entries.clone();
        copy[i] = entry;
        return copy;
      }
    }
    Entry<S>[] copy = Arrays.copyOf(entries, entries.length + 1);
    copy[entries.length] = entry;
    return copy;
  }

  private static <S> Entry<S>[] without(Entry<S>[] entries, S subscriber) {
    for (int i = 0; i < entries.length; i++) {
      if (entries[i].subscriber() == subscriber) {
        Entry<S>[] copy = newEntries(entries.length - 1);
        System.arraycopy(entries, 0, copy, 0, i);
        System.arraycopy(entries, i + 1, copy, i, entries.length - i - 1);
        return copy;
      }
    }
    return entries;
  }

  private static <S> SharedGroup<S>[] append(SharedGroup<S>[] groups, SharedGroup<S> group) {
    SharedGroup<S>[] copy = Arrays.copyOf(groups, groups.length + 1);
    copy[groups.length] = group;
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static <S> SharedGroup<S>[] withoutGroup(SharedGroup<S>[] groups, SharedGroup<S> group) {
    return Arrays.stream(groups).filter(g -> g != group).toArray(SharedGroup[]::new);
  }

  private static final class Node<S> {
    final Node<S> parent;
    final String level;
    volatile Map<String, Node<S>> children;

    /** Null while the node has no non-shared subscriber. */
    volatile SubscriberSlots<S> subscribers;

    @SuppressWarnings("unchecked")
    volatile SharedGroup<S>[] groups = NO_GROUPS;

    Node(Node<S> parent, String level) {
      this.parent = parent;
      this.level = level;
    }

    Node<S> childOrCreate(String childLevel) {
      if (children == null) {
        children = new ConcurrentHashMap<>(4);
      }
      return children.computeIfAbsent(childLevel, l -> new Node<>(this, l));
    }

    SharedGroup<S> group(String name) {
      for (SharedGroup<S> g : groups) {
        if (g.name().equals(name)) {
          return g;
        }
      }
      return null;
    }
  }
}
