package io.pylon.domain.identity;

import io.pylon.domain.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a list by creation date stopped: the creation time and id of the last item returned. As an
 * AWS marker it is base64 (the model's pattern {@code [A-Za-z0-9+/]+={0,2}}) of {@code
 * <epochMillis>:<id>}; stores page from it with a keyset condition, so pages stay stable while
 * certificates are added.
 */
public record CreationMarker(Instant creationDate, String id) {

  public String encode() {
    String text = creationDate.toEpochMilli() + ":" + id;
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** Reads a marker this class made; anything else is an InvalidRequest. */
  public static CreationMarker decode(String marker) {
    try {
      String text = new String(Base64.getDecoder().decode(marker), StandardCharsets.US_ASCII);
      int colon = text.indexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new IllegalArgumentException("no separator");
      }
      return new CreationMarker(
          Instant.ofEpochMilli(Long.parseLong(text.substring(0, colon))),
          text.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("marker '" + marker + "' was not returned by this server");
    }
  }

  /** Whether an item at ({@code creationDate}, {@code id}) comes after this marker. */
  public boolean isBefore(Instant creationDate, String id, boolean ascending) {
    int byDate = Long.compare(creationDate.toEpochMilli(), this.creationDate.toEpochMilli());
    int order = byDate != 0 ? byDate : id.compareTo(this.id);
    return ascending ? order > 0 : order < 0;
  }
}
