package io.pylon.domain.policy;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Pages through a list computed in full (the policies of a target and its groups, a few dozen at
 * most). The token is the offset, base64 encoded as AWS's marker pattern wants.
 */
final class ListPaging {

  private static final String PREFIX = "offset:";

  private ListPaging() {}

  static <T> Page<T> page(List<T> all, PageRequest request) {
    int from = request.nextToken().map(ListPaging::offset).orElse(0);
    int to = Math.min(all.size(), from + request.maxResults());
    List<T> items = from >= all.size() ? List.of() : all.subList(from, to);
    Optional<String> next = to < all.size() ? Optional.of(token(to)) : Optional.empty();
    return new Page<>(items, next);
  }

  private static String token(int offset) {
    return Base64.getEncoder().encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int offset(String token) {
    try {
      String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith(PREFIX)) {
        int offset = Integer.parseInt(text.substring(PREFIX.length()));
        if (offset >= 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal below; NumberFormatException is one too
    }
    throw new InvalidRequestException("marker '" + token + "' is not one this server returned");
  }
}
