package io.pylon.mqtt.topic;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The non-shared subscribers of one {@link TopicTree} node.
 *
 * <p>Design notes. Matching reads a published {@link View} without locking; writers are serialised
 * by the tree's monitor. A new subscriber goes into the slot after the last published one and a
 * removed subscriber's slot is cleared; slots are never reused and entries never move within an
 * array, so a reader racing a writer cannot see one subscriber twice. A full array grows by half
 * and an array more than half empty is compacted into a new one, so subscribing (or unsubscribing)
 * N clients to one filter costs O(N) in all, where a copy-on-write array costs O(N²): a broadcast
 * topic that every device of a fleet subscribes to is the case this is for. A subscriber's slot is
 * found by a scan while the node holds a few entries and through an identity map beyond that.
 */
final class SubscriberSlots<S> {

  /**
   * What a reader iterates: {@code slots[0, length)}, in which a removed subscriber leaves a null.
   */
  record View<S>(TopicTree.Entry<S>[] slots, int length) {}

  /** Above this many slots a subscriber's slot is looked up in a map instead of scanned for. */
  static final int INDEX_ABOVE = 16;

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final View EMPTY = new View(new TopicTree.Entry[0], 0);

  @SuppressWarnings("unchecked")
  private volatile View<S> view = EMPTY;

  private int live;
  private Map<S, Integer> index;

  View<S> view() {
    return view;
  }

  /** Subscribers present (cleared slots not counted). */
  int size() {
    return live;
  }

  /**
   * Adds the subscriber's entry or replaces its earlier one in place.
   *
   * @return true when the subscriber is new here
   */
  boolean put(TopicTree.Entry<S> entry) {
    View<S> current = view;
    int slot = slotOf(current, entry.subscriber());
    if (slot >= 0) {
      current.slots()[slot] = entry;
      view = new View<>(current.slots(), current.length());
      return false;
    }
    TopicTree.Entry<S>[] slots = current.slots();
    int length = current.length();
    if (length == slots.length) {
      slots = Arrays.copyOf(slots, length < 4 ? length + 1 : length + (length >> 1));
    }
    slots[length] = entry;
    live++;
    if (index != null) {
      index.put(entry.subscriber(), length);
    } else if (length + 1 > INDEX_ABOVE) {
      index = indexOf(slots, length + 1);
    }
    view = new View<>(slots, length + 1);
    return true;
  }

  /** Removes the subscriber's entry; returns false when it had none. */
  boolean remove(S subscriber) {
    View<S> current = view;
    int slot = slotOf(current, subscriber);
    if (slot < 0) {
      return false;
    }
    live--;
    if (live == 0) {
      index = null;
      view = empty();
      return true;
    }
    if (index != null) {
      index.remove(subscriber);
    }
    TopicTree.Entry<S>[] slots = current.slots();
    int length = current.length();
    if (length - live > live) {
      compact(slots, length, slot);
    } else {
      slots[slot] = null;
      // A new view, so that a match that starts after this returns cannot see the entry.
      view = new View<>(slots, length);
    }
    return true;
  }

  private void compact(TopicTree.Entry<S>[] slots, int length, int removedSlot) {
    @SuppressWarnings("unchecked")
    TopicTree.Entry<S>[] packed = new TopicTree.Entry[live];
    int n = 0;
    for (int i = 0; i < length; i++) {
      if (i != removedSlot && slots[i] != null) {
        packed[n++] = slots[i];
      }
    }
    index = n > INDEX_ABOVE ? indexOf(packed, n) : null;
    view = new View<>(packed, n);
  }

  private int slotOf(View<S> current, S subscriber) {
    if (index != null) {
      Integer slot = index.get(subscriber);
      return slot == null ? -1 : slot;
    }
    TopicTree.Entry<S>[] slots = current.slots();
    for (int i = 0; i < current.length(); i++) {
      TopicTree.Entry<S> e = slots[i];
      if (e != null && e.subscriber() == subscriber) {
        return i;
      }
    }
    return -1;
  }

  private static <S> Map<S, Integer> indexOf(TopicTree.Entry<S>[] slots, int length) {
    Map<S, Integer> map = new IdentityHashMap<>(length * 2);
    for (int i = 0; i < length; i++) {
      if (slots[i] != null) {
        map.put(slots[i].subscriber(), i);
      }
    }
    return map;
  }

  @SuppressWarnings("unchecked")
  private static <S> View<S> empty() {
    return EMPTY;
  }
}
