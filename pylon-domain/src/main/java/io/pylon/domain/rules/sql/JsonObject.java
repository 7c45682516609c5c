package io.pylon.domain.rules.sql;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A JSON object of a parsed payload: keys and values in two arrays, in document order. Most payload
 * objects have a handful of members, for which this costs a third of a {@code LinkedHashMap} and
 * finds a key by a short scan; past {@value #SCAN_LIMIT} members a hash index is added. Written
 * only while parsing; read-only afterwards (it is shared by every rule).
 */
final class JsonObject extends AbstractMap<String, Object> {

  private static final int SCAN_LIMIT = 8;

  private String[] keys;
  private Object[] values;
  private int size;
  private HashMap<String, Integer> index;

  JsonObject() {
    keys = new String[4];
    values = new Object[4];
  }

  @Override
  public int size() {
    return size;
  }

  String keyAt(int i) {
    return keys[i];
  }

  Object valueAt(int i) {
    return values[i];
  }

  private int find(Object key) {
    if (index != null) {
      Integer i = index.get(key);
      return i == null ? -1 : i;
    }
    for (int i = 0; i < size; i++) {
      if (keys[i] == key) {
        return i;
      }
    }
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Object get(Object key) {
    int i = find(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return find(key) >= 0;
  }

  /** A repeated key keeps its first position and takes the last value, as a map would. */
  @Override
  public Object put(String key, Object value) {
    int i = find(key);
    if (i >= 0) {
      Object old = values[i];
      values[i] = value;
      return old;
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    values[size] = value;
    if (index != null) {
      index.put(key, size);
    } else if (size == SCAN_LIMIT) {
      index = new HashMap<>();
      for (int j = 0; j <= size; j++) {
        index.put(keys[j], j);
      }
    }
    size++;
    return null;
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }
    };
  }
}
