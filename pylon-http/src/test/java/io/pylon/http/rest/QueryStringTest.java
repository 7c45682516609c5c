package io.pylon.http.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryStringTest {

  @Test
  void parse_decodesAndKeepsRepeatedNamesInOrder() {
    assertThat(QueryString.parse("thingGroupNames=a%2Fb&thingGroupNames=c&flag&x=1+2&empty="))
        .containsEntry("thingGroupNames", List.of("a/b", "c"))
        .containsEntry("flag", List.of(""))
        .containsEntry("x", List.of("1+2"))
        .containsEntry("empty", List.of(""));
  }

  @Test
  void parse_ofNothing_isEmpty() {
    assertThat(QueryString.parse("")).isEmpty();
    assertThat(QueryString.parse("&&")).isEmpty();
  }

  @Test
  void decode_leavesBrokenEscapesAlone() {
    assertThat(PercentEncoding.decode("100%")).isEqualTo("100%");
    assertThat(PercentEncoding.decode("%zz%41")).isEqualTo("%zzA");
  }
}
