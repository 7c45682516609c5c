package io.pylon.http.rules;

import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.tagging.Tag;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code x-amz-tagging} header: tags as a query string, {@code key1=value1&key2=value2}, keys
 * and values percent-encoded where needed (the CLI passes {@code --tags} through as written). A
 * {@code +} stays a plus, as SigV4 clients never use it for a space.
 */
public final class TaggingHeader {

  public static final String NAME = "x-amz-tagging";

  private TaggingHeader() {}

  /** The tags of the header; none when it is absent or empty. */
  public static List<Tag> parse(Optional<String> header) {
    List<Tag> tags = new ArrayList<>();
    if (header.isEmpty() || header.get().isBlank()) {
      return tags;
    }
    for (String pair : header.get().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      tags.add(new Tag(key, value));
    }
    return tags;
  }

  private static String decode(String part) {
    try {
      return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(NAME + " is not a valid tag list: " + e.getMessage());
    }
  }
}
