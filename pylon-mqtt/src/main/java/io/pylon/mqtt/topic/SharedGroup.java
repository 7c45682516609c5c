package io.pylon.mqtt.topic;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The members of one share group on one filter: each message goes to one member, chosen round robin
 * among the members the caller considers able to take it.
 */
public final class SharedGroup<S> {

  private final String name;
  private final AtomicInteger cursor = new AtomicInteger();
  volatile TopicTree.Entry<S>[] members;

  SharedGroup(String name, TopicTree.Entry<S>[] members) {
    this.name = name;
    this.members = members;
  }

  public String name() {
    return name;
  }

  /**
   * Picks the next member, preferring one that passes {@code preferred} (for example, one that is
   * connected); falls back to the next member in turn, or null when the group is empty.
   */
  public TopicTree.Entry<S> pick(Predicate<S> preferred) {
    TopicTree.Entry<S>[] current = members;
    int n = current.length;
    if (n == 0) {
      return null;
    }
    int start = Math.floorMod(cursor.getAndIncrement(), n);
    for (int i = 0; i < n; i++) {
      TopicTree.Entry<S> candidate = current[(start + i) % n];
      if (preferred.test(candidate.subscriber())) {
        return candidate;
      }
    }
    return current[start];
  }

  public int size() {
    return members.length;
  }
}
