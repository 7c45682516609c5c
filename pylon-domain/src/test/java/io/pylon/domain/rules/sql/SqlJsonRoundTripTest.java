package io.pylon.domain.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The payload reader and output writer against Jackson as an oracle. */
class SqlJsonRoundTripTest {

  private static final ObjectMapper JACKSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[]",
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
        " {\n\t\"sp\" : [ 1 , 2 ] \r\n} ",
        "{\"esc\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u00e9\\u20ac\\ud83d\\ude00\"}",
        "{\"utf8\":\"caf\u00e9 \u20ac \ud83d\ude00 \u4e2d\u6587\"}",
        "{\"n\":[0,-0,1.5,-2.25e-3,1E10,123456789012345678,1234567890123456789012345]}",
        "\"top-level string\"",
        "-12.5",
        "{\"dup\":1,\"dup\":2}",
        "{\"deep\":[[[[[[[[[[{\"x\":[]}]]]]]]]]]]}",
      })
  void reader_andWriter_agreeWithJackson(String json) throws Exception {
    Object value = JsonReader.parse(json.getBytes(StandardCharsets.UTF_8), false);
    assertThat(value).isNotNull();
    JsonWriter w = new JsonWriter(8);
    w.value(value);
    JsonNode ours = JACKSON.readTree(w.toBytes());
    JsonNode theirs = JACKSON.readTree(json);
    assertThat(ours.toString()).isEqualTo(theirs.toString());
  }

  @Test
  void largeObject_withRepeatedKeys_keepsFirstPositionAndLastValue() throws Exception {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < 40; i++) {
      json.append('"').append("k").append(i % 30).append("\":").append(i).append(',');
    }
    json.append("\"last\":true}");
    Object value = JsonReader.parse(json.toString().getBytes(StandardCharsets.UTF_8), false);
    assertThat(value).isInstanceOf(Map.class);
    Map<?, ?> map = (Map<?, ?>) value;
    assertThat(map).hasSize(31);
    assertThat(map.get("k5")).isEqualTo(35L);
    assertThat(map.get("k29")).isEqualTo(29L);
    assertThat(map.get("nope")).isNull();
    JsonWriter w = new JsonWriter(8);
    w.value(value);
    assertThat(JACKSON.readTree(w.toBytes()).toString())
        .isEqualTo(JACKSON.readTree(json.toString()).toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "{",
        "{\"a\":}",
        "{\"a\":1,}",
        "[1,]",
        "[1 2]",
        "{a:1}",
        "'single'",
        "01",
        "1.",
        ".5",
        "-",
        "1e",
        "tru",
        "nul",
        "\"unterminated",
        "\"bad \\x escape\"",
        "\"ctrl \u0001 char\"",
        "{} {}",
        "NaN",
      })
  void notJson_isBinary(String text) {
    assertThat(JsonReader.parse(text.getBytes(StandardCharsets.UTF_8), false)).isNull();
  }
}
