package io.pylon.http.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigV4CanonicalTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                         | /",
        "/                          | /",
        "/things/my%3Athing         | /things/my%253Athing",
        "/topics/a%2Fb%2F%24aws     | /topics/a%252Fb%252F%2524aws",
        "/things/pump-1/jobs/$next  | /things/pump-1/jobs/%24next",
        "/things/pump-1/jobs/%24next| /things/pump-1/jobs/%2524next",
        "/topics/temp%C3%A9rature   | /topics/temp%25C3%25A9rature",
        "/a/./b/../c//d/            | /a/c/d/",
        "/../a                      | /a",
        "//                         | /",
        "/a b~c_d.e-f               | /a%20b~c_d.e-f",
        "mqtt                       | /mqtt",
      })
  void canonicalUriEncodesTheReceivedPathAgain(String raw, String expected) {
    assertThat(SigV4Canonical.canonicalUri(raw)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                               | ''",
        "b=2&a=1&a=0                      | a=0&a=1&b=2",
        "a=b:c&d=e/f                      | a=b%3Ac&d=e%2Ff",
        "x=a+b                            | x=a%2Bb",
        "x=%7e&y=%7E                      | x=~&y=~",
        "x=%2a                            | x=%2A",
        "noval&empty=                     | empty=&noval=",
        "a=1&Z=1&_=1&~=1                  | Z=1&_=1&a=1&~=1",
        "k=%E2%82%AC&k=%e2%82%ac          | k=%E2%82%AC&k=%E2%82%AC",
        "bad=%zz&half=%4                  | bad=%25zz&half=%254",
        "a=1&&b=2                         | a=1&b=2",
        "t=a%20b&t=a                      | t=a&t=a%20b",
      })
  void canonicalQueryDecodesReencodesAndSorts(String raw, String expected) {
    assertThat(SigV4Canonical.canonicalQuery(SigV4Canonical.parseQuery(raw))).isEqualTo(expected);
  }

  @Test
  void rawSortedQueryKeepsTheClientsEncoding() {
    assertThat(
            SigV4Canonical.rawSortedQuery(
                SigV4Canonical.parseQuery("nextToken=a:b/c&attributeValue=x,y")))
        .isEqualTo("attributeValue=x,y&nextToken=a:b/c");
  }

  @Test
  void headerValuesAreTrimmedCollapsedAndJoined() {
    SigV4Headers headers =
        SigV4Headers.builder()
            .add("Host", " iot.pylon.test ")
            .add("X-Multi", "one")
            .add("x-multi", " two \t 2 ")
            .add("X-Empty", "")
            .build();
    assertThat(
            SigV4Canonical.canonicalHeaders(
                headers, List.of("host", "x-empty", "x-missing", "x-multi")))
        .isEqualTo("host:iot.pylon.test\nx-empty:\nx-missing:\nx-multi:one,two 2\n");
  }

  @Test
  void amzDatesAreStrict() {
    assertThat(SigV4Canonical.parseAmzDate("20240501T123456Z"))
        .isEqualTo(Instant.parse("2024-05-01T12:34:56Z"));
    assertThat(SigV4Canonical.parseAmzDate("20240230T123456Z")).isNull();
    assertThat(SigV4Canonical.parseAmzDate("2024-05-01T12:34:56Z")).isNull();
    assertThat(SigV4Canonical.parseAmzDate("20240501T123456")).isNull();
    assertThat(SigV4Canonical.formatAmzDate(Instant.parse("2023-12-31T23:59:59.999Z")))
        .isEqualTo("20231231T235959Z");
  }

  @Test
  void httpDatesInTheSpellingsClientsUse() {
    Instant expected = Instant.parse("2024-05-01T12:34:56Z");
    assertThat(SigV4Canonical.parseHttpDate("Wed, 01 May 2024 12:34:56 GMT")).isEqualTo(expected);
    assertThat(SigV4Canonical.parseHttpDate("Wed, 01 May 2024 12:34:56 -0000")).isEqualTo(expected);
    assertThat(SigV4Canonical.parseHttpDate("Wed, 01 May 2024 12:34:56 +0000")).isEqualTo(expected);
    assertThat(SigV4Canonical.parseHttpDate("yesterday")).isNull();
  }

  /** The derivation example from the AWS documentation ("Derive a signing key"). */
  @Test
  void signingKeyMatchesTheAwsDocumentationExample() {
    byte[] key =
        SigV4Canonical.signingKey(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
    assertThat(SigV4Canonical.hex(key))
        .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  }
}
