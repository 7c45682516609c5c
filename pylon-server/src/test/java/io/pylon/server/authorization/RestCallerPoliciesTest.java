package io.pylon.server.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.error.ForbiddenException;
import io.pylon.domain.policy.language.NamedPolicy;
import io.pylon.domain.policy.language.PolicyContext;
import io.pylon.domain.policy.language.PolicyDocument;
import io.pylon.domain.policy.language.PolicyEvaluator;
import io.pylon.domain.policy.language.PreparedPolicies;
import io.pylon.http.rest.RestRequest.Caller;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestCallerPoliciesTest {

  private static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");

  private static final String POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iot:Publish",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/sensors/*"},
        {"Effect": "Allow", "Action": "iot:GetThingShadow",
         "Resource": "arn:aws:iot:us-east-1:123456789012:thing/lamp"}
      ]}
      """;

  private static final Map<String, PreparedPolicies> BY_CERTIFICATE =
      Map.of(
          "known",
          PolicyEvaluator.prepare(
              List.of(new NamedPolicy("p", PolicyDocument.parse(POLICY))), PolicyContext.EMPTY));

  private final RestCallerPolicies policies =
      new RestCallerPolicies(ACCOUNT, id -> Optional.ofNullable(BY_CERTIFICATE.get(id)));

  @Test
  void sigV4Caller_mayDoAnything() {
    Caller admin = new Caller.SigV4("AKIA", "us-east-1");

    assertThat(policies.allows(admin, "iot:Publish", policies.topicArn("any/where"))).isTrue();
    assertThat(policies.allows(admin, "iot:ListRetainedMessages", "*")).isTrue();
  }

  @Test
  void certificateCaller_isJudgedByItsPolicies() {
    Caller device = new Caller.Certificate("known");

    policies.requireOnTopic(device, "iot:Publish", "sensors/1");
    policies.requireOnThing(device, "iot:GetThingShadow", "lamp");
    assertThatThrownBy(() -> policies.requireOnTopic(device, "iot:Publish", "actuators/1"))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("iot:Publish")
        .hasMessageContaining("arn:aws:iot:us-east-1:123456789012:topic/actuators/1");
    assertThat(policies.allows(device, "iot:RetainPublish", policies.topicArn("sensors/1")))
        .isFalse();
    assertThat(policies.allows(device, "iot:GetThingShadow", ACCOUNT.arn("thing", "other")))
        .isFalse();
  }

  @Test
  void unknownOrInactiveCertificate_isRefusedEverything() {
    assertThatThrownBy(
            () ->
                policies.requireOnTopic(
                    new Caller.Certificate("unknown"), "iot:Publish", "sensors/1"))
        .isInstanceOf(ForbiddenException.class);
  }
}
