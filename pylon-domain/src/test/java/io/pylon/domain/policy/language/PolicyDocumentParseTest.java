package io.pylon.domain.policy.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.error.MalformedPolicyException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyDocumentParseTest {

  private static final String OK_STATEMENT =
      "{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}";

  @Test
  void parse_fullDocument_keepsEveryElement() {
    PolicyDocument document =
        PolicyDocument.parse(
            """
            {"Version": "2012-10-17", "Id": "doc-1",
             "Statement": [
               {"Sid": "connect", "Effect": "Allow", "Action": ["iot:Connect"],
                "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}",
                "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"},
                              "ForAnyValue:StringLike": {"iot:ConnectAttributes": ["Persist*", "LastWill"]}}},
               {"Effect": "Deny", "NotAction": "iot:Publish", "NotResource": ["*"]}]}
            """);

    assertThat(document.version()).isEqualTo("2012-10-17");
    assertThat(document.id()).isEqualTo("doc-1");
    assertThat(document.substitutesVariables()).isTrue();
    assertThat(document.statements()).hasSize(2);
    Statement first = document.statements().get(0);
    assertThat(first.sid()).isEqualTo("connect");
    assertThat(first.effect()).isEqualTo(Effect.ALLOW);
    assertThat(first.actions()).containsExactly("iot:Connect");
    assertThat(first.notAction()).isFalse();
    assertThat(first.resources())
        .containsExactly("arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}");
    assertThat(first.conditions())
        .containsExactly(
            new Condition("Bool", "iot:Connection.Thing.IsAttached", List.of("true")),
            new Condition(
                "ForAnyValue:StringLike",
                "iot:ConnectAttributes",
                List.of("Persist*", "LastWill")));
    Statement second = document.statements().get(1);
    assertThat(second.sid()).isNull();
    assertThat(second.effect()).isEqualTo(Effect.DENY);
    assertThat(second.notAction()).isTrue();
    assertThat(second.notResource()).isTrue();
  }

  @Test
  void parse_withoutVersion_isTheIamDefault2008() {
    PolicyDocument document = PolicyDocument.parse("{\"Statement\":" + OK_STATEMENT + "}");

    assertThat(document.version()).isEqualTo("2008-10-17");
    assertThat(document.substitutesVariables()).isFalse();
  }

  @Test
  void parse_sameTextTwice_equalDocuments() {
    String json = "{\"Version\":\"2012-10-17\",\"Statement\":[" + OK_STATEMENT + "]}";

    assertThat(PolicyDocument.parse(json)).isEqualTo(PolicyDocument.parse(json));
  }

  @Test
  void parse_exactly2048NonWhitespaceCharacters_accepted() {
    String head = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"";
    String tail = "\",\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}}";
    String sid = "x".repeat(2048 - head.length() - tail.length());
    // Whitespace does not count towards the quota.
    String json = head + sid + tail + "\n".repeat(500) + " ".repeat(500);

    assertThat(PolicyDocument.parse(json).statements().get(0).sid()).hasSize(sid.length());
    assertThatThrownBy(() -> PolicyDocument.parse(head + sid + "y" + tail))
        .isInstanceOf(MalformedPolicyException.class)
        .hasMessageContaining("2049 characters")
        .hasMessageContaining("at most 2048");
  }

  @Test
  void parse_largerLimit_acceptsLongerDocuments() {
    String json =
        "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\""
            + "x".repeat(3000)
            + "\",\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}}";

    assertThat(PolicyDocument.parse(json, 6144).statements()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty text | '' | empty",
        "not JSON | '{\"Version\":' | not valid JSON",
        "JSON array | '[]' | must be a JSON object",
        "trailing content | '{\"Statement\":" + OK_STATEMENT + "} {}' | not valid JSON",
        "duplicate key | '{\"Statement\":"
            + OK_STATEMENT
            + ",\"Statement\":"
            + OK_STATEMENT
            + "}' | not valid JSON",
        "unknown top-level key | '{\"Statement\":"
            + OK_STATEMENT
            + ",\"Foo\":1}' | unknown element \"Foo\"",
        "bad version | '{\"Version\":\"2020-01-01\",\"Statement\":"
            + OK_STATEMENT
            + "}' | Version must be",
        "numeric version | '{\"Version\":2012,\"Statement\":"
            + OK_STATEMENT
            + "}' | Version must be",
        "no Statement | '{\"Version\":\"2012-10-17\"}' | no Statement",
        "empty Statement | '{\"Statement\":[]}' | at least one",
        "statement not object | '{\"Statement\":[\"Allow\"]}' | Statement[0] must be a JSON object",
        "unknown statement key | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Principal\":\"*\"}}' | Statement[0] has an unknown element \"Principal\"",
        "missing Effect | '{\"Statement\":{\"Action\":\"iot:*\",\"Resource\":\"*\"}}' | Statement[0] has no Effect",
        "lower-case effect | '{\"Statement\":{\"Effect\":\"allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}}' | Effect must be \"Allow\" or \"Deny\"",
        "missing Action | '{\"Statement\":{\"Effect\":\"Allow\",\"Resource\":\"*\"}}' | has neither Action nor NotAction",
        "Action and NotAction | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"NotAction\":\"iot:Publish\",\"Resource\":\"*\"}}' | has both Action and NotAction",
        "missing Resource | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\"}}' | has neither Resource nor NotResource",
        "empty Action array | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}}' | Action must not be empty",
        "numeric Action | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[1],\"Resource\":\"*\"}}' | must hold strings only",
        "action without service | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"Publish\",\"Resource\":\"*\"}}' | action \"Publish\" must be",
        "resource not an ARN | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"topic/a\"}}' | must be \"*\" or an ARN",
        "empty resource string | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"\"}}' | empty string",
        "Condition not object | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":[]}}' | Condition must be a JSON object",
        "unknown operator | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"StringEqual\":{\"iot:ClientId\":\"a\"}}}}' | unknown condition operator \"StringEqual\"",
        "Null with IfExists | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"NullIfExists\":{\"iot:ClientId\":\"true\"}}}}' | unknown condition operator",
        "operator value not object | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":\"a\"}}}' | must be a JSON object of key: values",
        "key without prefix | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"ClientId\":\"a\"}}}}' | must be of the form prefix:name",
        "object as condition value | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"iot:ClientId\":{}}}}}' | must be a string, number or boolean",
        "bad Bool value | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"yes\"}}}}' | is not a valid bool value",
        "bad number | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"NumericLessThan\":{\"iot:Connection.Thing.Attributes[b]\":\"ten\"}}}}' | is not a valid numeric value",
        "bad date | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"tomorrow\"}}}}' | is not a valid date value",
        "bad CIDR | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/33\"}}}}' | is not a valid ip value",
        "host name as IP | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"example.com\"}}}}' | is not a valid ip value",
        "Null without value | '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\",\"Condition\":{\"Null\":{\"iot:ClientId\":[]}}}}' | Null needs a value",
        "Sid not string | '{\"Statement\":{\"Sid\":1,\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}}' | Sid must be a string",
      })
  void parse_invalidDocument_malformedPolicyNamingTheProblem(
      String why, String json, String message) {
    assertThatThrownBy(() -> PolicyDocument.parse(json))
        .as(why)
        .isInstanceOf(MalformedPolicyException.class)
        .hasMessageContaining(message);
  }

  @Test
  void parse_secondStatementInvalid_messageNamesItsIndex() {
    String json =
        "{\"Statement\":["
            + OK_STATEMENT
            + ",{\"Effect\":\"Permit\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}";

    assertThatThrownBy(() -> PolicyDocument.parse(json))
        .isInstanceOf(MalformedPolicyException.class)
        .hasMessageStartingWith("Statement[1]: Effect must be");
  }

  @Test
  void parse_conditionValueWithVariable_isCheckedOnlyWhenBound() {
    // The value is a variable, so it cannot be checked as a number until a context supplies it.
    PolicyDocument document =
        PolicyDocument.parse(
            "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"NumericLessThan\":"
                + "{\"iot:Connection.Thing.Attributes[build]\":\"${iot:Connection.Thing.Attributes[minimum]}\"}}}}");

    assertThat(document.statements().get(0).conditions()).hasSize(1);
  }

  @Test
  void parse_boolValueFromVariable_notCheckedAsLiteral() {
    PolicyDocument document =
        PolicyDocument.parse(
            "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"Bool\":"
                + "{\"iot:Connection.Thing.Attributes[enabled]\":\"${iot:Connection.Thing.IsAttached}\"}}}}");

    PreparedPolicies prepared =
        PolicyEvaluator.prepare(
            java.util.List.of(new NamedPolicy("p", document)),
            PolicyContext.builder()
                .value("iot:Connection.Thing.Attributes[enabled]", "false")
                .build());
    assertThat(prepared.allows("iot:Connect", "arn:aws:iot:us-east-1:123456789012:client/c"))
        .isTrue();
  }
}
