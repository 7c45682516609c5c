package io.pylon.domain.rules.sql;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What one rule made of one message: whether WHERE let it through and, if so, the outgoing payload
 * (JSON text of the SELECT output; the raw bytes for {@code SELECT *} of a non-JSON payload; empty
 * for a lone Undefined).
 */
public record SqlResult(boolean matched, byte[] payload) {

  private static final byte[] EMPTY = new byte[0];

  /** WHERE was false or Undefined: no action runs. */
  public static final SqlResult NO_MATCH = new SqlResult(false, EMPTY);

  public SqlResult {
    payload = payload == null ? EMPTY : payload;
  }

  /** The payload as UTF-8 text (for logs and tests). */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SqlResult r && r.matched == matched && Arrays.equals(r.payload, payload);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(matched) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return matched ? "SqlResult[matched, " + payloadText() + "]" : "SqlResult[no match]";
  }
}
