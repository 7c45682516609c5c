package io.pylon.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * What the load tool needs from a shadow answer: whose request it answers (the {@code clientToken},
 * which the tool sets to the request's sequence number) and whether it was accepted. An {@code
 * /update/accepted} document has no top-level {@code code}; an {@code /update/rejected} one carries
 * the shadow error code. Only top-level members are read, with a streaming parser, so the state
 * echoed back in an accepted answer costs no tree.
 *
 * @param code 0 for accepted, else the shadow error code (400, 409, 413, 429, ...)
 * @param sequence the request's sequence number, empty when the answer has no numeric token
 */
record ShadowAnswer(int code, OptionalLong sequence) {

  private static final JsonFactory JSON = new JsonFactory();

  boolean accepted() {
    return code == 0;
  }

  /** Parses an answer payload; malformed JSON is an {@link IOException}. */
  static ShadowAnswer parse(byte[] payload, int offset, int length) throws IOException {
    int code = 0;
    OptionalLong sequence = OptionalLong.empty();
    try (JsonParser p = JSON.createParser(payload, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("a shadow answer is a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("code") && value == JsonToken.VALUE_NUMBER_INT) {
          code = p.getIntValue();
        } else if (name.equals("clientToken") && value == JsonToken.VALUE_STRING) {
          sequence = sequenceOf(p.getText());
        } else {
          p.skipChildren();
        }
      }
    }
    return new ShadowAnswer(code, sequence);
  }

  static String tokenOf(long sequence) {
    return Long.toString(sequence);
  }

  private static OptionalLong sequenceOf(String token) {
    try {
      return OptionalLong.of(Long.parseLong(token));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
