package io.pylon.domain.rules.sql;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The compiled SELECT list of a statement or nested query: {@code VALUE expr}, or items. */
final class SelectList {

  /** One item: {@code *} ({@code path} null), or an expression and its output key path. */
  record Item(Expr expr, String[] path) {
    boolean isStar() {
      return path == null;
    }
  }

  private final Expr value;
  private final Item[] items;
  private final boolean starOnly;

  /** No {@code *}, every key a single distinct name: written straight to JSON. */
  private final boolean flat;

  /** {@code *} first, then flat items ({@code SELECT *, timestamp() AS ts}): also streamed. */
  private final boolean starThenFlat;

  private SelectList(Expr value, Item[] items) {
    this.value = value;
    this.items = items;
    this.starOnly = value == null && items.length == 1 && items[0].isStar();
    boolean f = value == null;
    Set<String> seen = new HashSet<>();
    for (Item item : items) {
      if (item.isStar() || item.path.length != 1 || !seen.add(item.path[0])) {
        f = false;
      }
    }
    this.flat = f;
    boolean sf = value == null && items.length > 1 && items[0].isStar();
    Set<String> names = new HashSet<>();
    for (int i = 1; sf && i < items.length; i++) {
      sf = !items[i].isStar() && items[i].path.length == 1 && names.add(items[i].path[0]);
    }
    this.starThenFlat = sf;
  }

  static SelectList ofValue(Expr value) {
    return new SelectList(value, new Item[0]);
  }

  static SelectList ofItems(List<Item> items) {
    return new SelectList(null, items.toArray(new Item[0]));
  }

  /** The result as a value (a Map for items), for nested queries. */
  Object evaluate(EvalContext c) {
    if (value != null) {
      return value.eval(c);
    }
    if (starOnly) {
      return c.star();
    }
    return build(c);
  }

  private Map<String, Object> build(EvalContext c) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Item item : items) {
      if (item.isStar()) {
        if (c.star() instanceof Map<?, ?> m) {
          for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put((String) e.getKey(), e.getValue());
          }
        }
        continue;
      }
      Object v = item.expr.eval(c);
      if (v == Values.UNDEFINED) {
        continue;
      }
      put(out, item.path, 0, v);
    }
    return out;
  }

  /** Puts a value under a dotted alias, copying any object it descends into (it may be shared). */
  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> target, String[] path, int i, Object v) {
    if (i == path.length - 1) {
      target.put(path[i], v);
      return;
    }
    Object existing = target.get(path[i]);
    Map<String, Object> child =
        existing instanceof Map<?, ?> m
            ? new LinkedHashMap<>((Map<String, Object>) m)
            : new LinkedHashMap<>();
    put(child, path, i + 1, v);
    target.put(path[i], child);
  }

  /** The outgoing payload of a top-level statement. */
  byte[] write(EvalContext c) {
    Object v;
    if (value != null) {
      v = value.eval(c);
      // Arrays as a top-level result came with 2016-03-23.
      if (v instanceof List && !c.v2016) {
        v = Values.UNDEFINED;
      }
    } else if (starOnly) {
      v = c.star();
    } else if (flat) {
      return writeFlat(c);
    } else if (starThenFlat && c.star() instanceof Map<?, ?> payload) {
      return writeStarThenFlat(c, payload);
    } else {
      v = build(c);
    }
    if (v == Values.UNDEFINED) {
      return new byte[0];
    }
    if (v instanceof Values.Raw raw) {
      return raw.bytes();
    }
    JsonWriter w = new JsonWriter(128);
    w.value(v);
    return w.toBytes();
  }

  /**
   * The payload's members in order, an item replacing a member of the same name in place (as a map
   * put would), then the other items: the same output as building the map, without building it.
   */
  private byte[] writeStarThenFlat(EvalContext c, Map<?, ?> payload) {
    int n = items.length - 1;
    Object[] extra = new Object[n];
    for (int i = 0; i < n; i++) {
      extra[i] = items[i + 1].expr.eval(c);
    }
    JsonWriter w = new JsonWriter(256);
    w.raw((byte) '{');
    boolean first = true;
    JsonObject o = payload instanceof JsonObject j ? j : null;
    Iterator<? extends Map.Entry<?, ?>> entries = o == null ? payload.entrySet().iterator() : null;
    int count = payload.size();
    for (int m = 0; m < count; m++) {
      String key;
      Object v;
      if (o != null) {
        key = o.keyAt(m);
        v = o.valueAt(m);
      } else {
        Map.Entry<?, ?> e = entries.next();
        key = (String) e.getKey();
        v = e.getValue();
      }
      for (int i = 0; i < n; i++) {
        if (extra[i] != Values.UNDEFINED && items[i + 1].path[0].equals(key)) {
          v = extra[i];
          extra[i] = Values.UNDEFINED;
          break;
        }
      }
      if (v == Values.UNDEFINED || v instanceof Values.Raw) {
        continue;
      }
      w.key(key, first);
      first = false;
      w.value(v);
    }
    for (int i = 0; i < n; i++) {
      Object v = extra[i];
      if (v == Values.UNDEFINED || v instanceof Values.Raw) {
        continue;
      }
      w.key(items[i + 1].path[0], first);
      first = false;
      w.value(v);
    }
    w.raw((byte) '}');
    return w.toBytes();
  }

  private byte[] writeFlat(EvalContext c) {
    JsonWriter w = new JsonWriter(128);
    w.raw((byte) '{');
    boolean first = true;
    for (Item item : items) {
      Object v = item.expr.eval(c);
      if (v == Values.UNDEFINED || v instanceof Values.Raw) {
        continue;
      }
      w.key(item.path[0], first);
      first = false;
      w.value(v);
    }
    w.raw((byte) '}');
    return w.toBytes();
  }
}
