package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShadowAnswerTest {

  @Test
  void accepted_hasNoCode_tokenIsTheSequence() throws IOException {
    ShadowAnswer a =
        parse(
            "{\"state\":{\"reported\":{\"seq\":7,\"clientToken\":\"not this\",\"code\":1}},"
                + "\"metadata\":{\"reported\":{\"seq\":{\"timestamp\":1}}},"
                + "\"version\":3,\"timestamp\":1,\"clientToken\":\"7\"}");

    assertThat(a.accepted()).isTrue();
    assertThat(a.sequence()).hasValue(7);
  }

  @Test
  void rejected_carriesTheShadowErrorCode() throws IOException {
    ShadowAnswer a =
        parse(
            "{\"code\":429,\"message\":\"Too many in-flight requests\",\"timestamp\":1,"
                + "\"clientToken\":\"12\"}");

    assertThat(a.accepted()).isFalse();
    assertThat(a.code()).isEqualTo(429);
    assertThat(a.sequence()).hasValue(12);
  }

  @Test
  void foreignOrMissingToken_hasNoSequence() throws IOException {
    assertThat(parse("{\"code\":400,\"message\":\"Invalid JSON\"}").sequence()).isEmpty();
    assertThat(parse("{\"version\":1,\"clientToken\":\"abc\"}").sequence()).isEmpty();
  }

  @Test
  void sliceOfALargerArray_isParsedInPlace() throws IOException {
    byte[] framed = "xx{\"code\":409,\"clientToken\":\"4\"}yy".getBytes(StandardCharsets.UTF_8);

    ShadowAnswer a = ShadowAnswer.parse(framed, 2, framed.length - 4);

    assertThat(a.code()).isEqualTo(409);
    assertThat(a.sequence()).hasValue(4);
  }

  @Test
  void notAnObject_isAnError() {
    assertThatThrownBy(() -> parse("[1]")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> parse("{\"code\":")).isInstanceOf(IOException.class);
  }

  private static ShadowAnswer parse(String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return ShadowAnswer.parse(bytes, 0, bytes.length);
  }
}
