package io.pylon.domain.policy.language;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  private static Glob glob(String pattern) {
    return Template.compile(pattern, true, false, false).bind(null, null);
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "a, a, true",
    "a, b, false",
    "a, aa, false",
    "*, '', true",
    "*, anything/at:all, true",
    "a*, a, true",
    "a*, abc, true",
    "a*, ba, false",
    "*a, ba, true",
    "*a, ab, false",
    "a*b, ab, true",
    "a*b, axxb, true",
    "a*b, axxbc, false",
    "a*b*c, abc, true",
    "a*b*c, aXbYbZc, true",
    "a*b*c, acb, false",
    "a?c, abc, true",
    "a?c, ac, false",
    "a?c, abbc, false",
    "*?, '', false",
    "*?, x, true",
    "a**b, ab, true",
    "*/room*, thing/room1, true",
    "x*y*y, xyy, true",
    "x*y*y, xy, false",
    "ab*ab, ab, false",
    "ab*ab, abab, true",
  })
  void matches_wildcards(String pattern, String input, boolean expected) {
    assertThat(glob(pattern).matches(input)).isEqualTo(expected);
  }

  @Test
  void matches_manyStarsAgainstLongMiss_staysLinear() {
    // A pattern that makes backtracking regex engines explode.
    Glob glob = glob("a*a*a*a*a*a*a*a*a*a*a*b");
    String input = "a".repeat(10_000);

    long start = System.nanoTime();
    assertThat(glob.matches(input)).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
  }

  @Test
  void matches_ignoreCase_forActions() {
    Glob glob = Template.compile("iot:Pub*", true, false, true).bind(null, null);

    assertThat(glob.matches("IOT:PUBLISH")).isTrue();
    assertThat(glob.matches("iot:Subscribe")).isFalse();
  }

  @Test
  void never_matchesNothing() {
    assertThat(Glob.NEVER.matches("")).isFalse();
    assertThat(Glob.NEVER.matches("x")).isFalse();
  }
}
