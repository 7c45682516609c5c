package io.pylon.domain;

import io.pylon.domain.error.InvalidRequestException;
import java.util.Optional;

/**
 * One page of a list operation: at most {@code maxResults} items after the position that {@code
 * nextToken} names. Tokens are opaque to clients; each store decides what they hold (typically the
 * last key returned) and rejects one it did not make.
 *
 * @param maxResults 1..250, AWS's largest page for most IoT list operations
 * @param nextToken where the previous page ended, empty for the first page
 */
public record PageRequest(int maxResults, Optional<String> nextToken) {

  public static final int DEFAULT_MAX_RESULTS = 50;
  public static final int LARGEST_MAX_RESULTS = 250;

  public PageRequest {
    if (maxResults < 1 || maxResults > LARGEST_MAX_RESULTS) {
      throw new InvalidRequestException(
          "maxResults must be between 1 and " + LARGEST_MAX_RESULTS + ", was " + maxResults);
    }
    nextToken = nextToken.filter(t -> !t.isEmpty());
  }

  public static PageRequest first(int maxResults) {
    return new PageRequest(maxResults, Optional.empty());
  }

  public static PageRequest firstDefault() {
    return first(DEFAULT_MAX_RESULTS);
  }
}
