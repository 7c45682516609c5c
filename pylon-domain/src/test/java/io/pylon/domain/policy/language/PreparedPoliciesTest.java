package io.pylon.domain.policy.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreparedPoliciesTest {

  private static final String ARN = "arn:aws:iot:us-east-1:123456789012:";

  private static final PolicyDocument DEVICE =
      PolicyDocument.parse(
          """
          {"Version": "2012-10-17", "Statement": [
            {"Sid": "pub", "Effect": "Allow", "Action": "iot:Publish",
             "Resource": "arn:aws:iot:us-east-1:123456789012:topic/dt/${iot:ClientId}/*"},
            {"Sid": "admin", "Effect": "Deny", "Action": "iot:Publish",
             "Resource": "arn:aws:iot:us-east-1:123456789012:topic/dt/*/admin"}]}
          """);

  @Test
  void evaluate_repeated_returnsTheSameDecisionObjects() {
    PreparedPolicies prepared =
        PolicyEvaluator.prepare(
            List.of(new NamedPolicy("device", DEVICE)),
            PolicyContext.builder().clientId("pump-1").build());

    Decision first = prepared.evaluate(AuthorizationRequest.PUBLISH, ARN + "topic/dt/pump-1/t");
    Decision second = prepared.evaluate(AuthorizationRequest.PUBLISH, ARN + "topic/dt/pump-1/h");

    assertThat(first.allowed()).isTrue();
    assertThat(first.decidingStatements()).containsExactly(new StatementRef("device", 0, "pub"));
    assertThat(second).isSameAs(first);
    assertThat(prepared.evaluate(AuthorizationRequest.PUBLISH, ARN + "topic/dt/pump-1/admin"))
        .isEqualTo(
            new Decision(
                AuthDecision.EXPLICIT_DENY,
                List.of(new StatementRef("device", 1, "admin")),
                List.of()));
    assertThat(prepared.allows(AuthorizationRequest.SUBSCRIBE, ARN + "topicfilter/dt/pump-1/t"))
        .isFalse();
  }

  @Test
  void prepare_differentContexts_substituteTheirOwnValues() {
    List<NamedPolicy> policies = List.of(new NamedPolicy("device", DEVICE));
    PreparedPolicies one =
        PolicyEvaluator.prepare(policies, PolicyContext.builder().clientId("one").build());
    PreparedPolicies two =
        PolicyEvaluator.prepare(policies, PolicyContext.builder().clientId("two").build());

    assertThat(one.allows("iot:Publish", ARN + "topic/dt/one/x")).isTrue();
    assertThat(one.allows("iot:Publish", ARN + "topic/dt/two/x")).isFalse();
    assertThat(two.allows("iot:Publish", ARN + "topic/dt/two/x")).isTrue();
  }

  @Test
  void evaluate_actionSpelledDifferently_sameAnswer() {
    PreparedPolicies prepared =
        PolicyEvaluator.prepare(
            List.of(new NamedPolicy("device", DEVICE)),
            PolicyContext.builder().clientId("pump-1").build());

    assertThat(prepared.allows("IOT:PUBLISH", ARN + "topic/dt/pump-1/t")).isTrue();
  }

  @Test
  void evaluate_manyDistinctActions_stillCorrectBeyondTheCache() {
    PreparedPolicies prepared =
        PolicyEvaluator.prepare(
            List.of(new NamedPolicy("device", DEVICE)),
            PolicyContext.builder().clientId("pump-1").build());

    for (int i = 0; i < 200; i++) {
      assertThat(prepared.allows("iot:Custom" + i, ARN + "topic/dt/pump-1/t")).isFalse();
    }
    assertThat(prepared.allows("iot:Publish", ARN + "topic/dt/pump-1/t")).isTrue();
  }
}
