package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The registry's {@code nextToken}: the sort key of the last item returned, tagged with the list it
 * belongs to and encoded so that clients treat it as opaque. A token from another list, or one that
 * was not made here, is an InvalidRequest rather than a silent restart from the top.
 */
public final class RegistryPageToken {

  private static final String VERSION = "r1";

  private RegistryPageToken() {}

  /** The token that continues list {@code kind} after the item with key {@code lastKey}. */
  public static String encode(String kind, String lastKey) {
    String plain = VERSION + '|' + kind + '|' + lastKey;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The last key a token of list {@code kind} holds; empty for the first page. */
  public static Optional<String> after(String kind, PageRequest page) {
    return page.nextToken().map(token -> decode(kind, token));
  }

  static String decode(String kind, String token) {
    String plain;
    try {
      plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    String prefix = VERSION + '|' + kind + '|';
    if (!plain.startsWith(prefix) || plain.length() == prefix.length()) {
      throw invalid();
    }
    return plain.substring(prefix.length());
  }

  /**
   * One page of {@code sorted} (ascending by {@code key}, keys unique): the items after the token's
   * key, and a token when more follow. Stores that hold everything in memory use this.
   */
  public static <T> Page<T> page(
      String kind, List<T> sorted, Function<T, String> key, PageRequest page) {
    Optional<String> after = after(kind, page);
    List<T> items = new ArrayList<>();
    boolean more = false;
    for (T item : sorted) {
      if (after.isPresent() && key.apply(item).compareTo(after.get()) <= 0) {
        continue;
      }
      if (items.size() == page.maxResults()) {
        more = true;
        break;
      }
      items.add(item);
    }
    return of(kind, items, more, key);
  }

  /**
   * A page from items read with one extra row: {@code fetched} holds up to {@code maxResults + 1}
   * items, the extra one only telling that more follow.
   */
  public static <T> Page<T> fromOverfetch(
      String kind, List<T> fetched, PageRequest page, Function<T, String> key) {
    boolean more = fetched.size() > page.maxResults();
    List<T> items = more ? fetched.subList(0, page.maxResults()) : fetched;
    return of(kind, items, more, key);
  }

  private static <T> Page<T> of(String kind, List<T> items, boolean more, Function<T, String> key) {
    return new Page<>(
        items,
        more && !items.isEmpty()
            ? Optional.of(encode(kind, key.apply(items.get(items.size() - 1))))
            : Optional.empty());
  }

  private static InvalidRequestException invalid() {
    return new InvalidRequestException(
        "nextToken is not valid; pass the nextToken of the previous response of the same list");
  }
}
