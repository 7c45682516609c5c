package io.pylon.server.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.policy.language.NamedPolicy;
import io.pylon.domain.policy.language.PolicyContext;
import io.pylon.domain.policy.language.PolicyDocument;
import io.pylon.domain.policy.language.PolicyEvaluator;
import io.pylon.domain.policy.language.PreparedPolicies;
import io.pylon.mqtt.spi.Action;
import io.pylon.mqtt.spi.Principal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyAuthorizerTest {

  private static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  private static final String ARN = "arn:aws:iot:us-east-1:123456789012:";

  private static final String DEVICE_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iot:Connect", "Resource": "%sclient/${iot:ClientId}"},
        {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
         "Resource": "%stopic/devices/${iot:ClientId}/*"},
        {"Effect": "Allow", "Action": "iot:Subscribe",
         "Resource": "%stopicfilter/devices/${iot:ClientId}/#"},
        {"Effect": "Deny", "Action": "iot:*", "Resource": "%stopic/devices/*/secret"}
      ]}
      """
          .formatted(ARN, ARN, ARN, ARN);

  private static final String NOTHING_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}
      ]}
      """;

  private final PolicyAuthorizer authorizer = new PolicyAuthorizer(ACCOUNT);

  private static PreparedPolicies prepared(String document, String clientId) {
    return PolicyEvaluator.prepare(
        List.of(new NamedPolicy("p", PolicyDocument.parse(document))),
        PolicyContext.builder().clientId(clientId).build());
  }

  private static PolicedDevice device(String clientId, String document) {
    DeviceContext context =
        new DeviceContext("cert-1", ARN + "cert/cert-1", null, clientId, Optional.empty());
    return new PolicedDevice("cert-1", new ConnectionPolicy(context, prepared(document, clientId)));
  }

  @Test
  void device_actionsOnItsOwnTopics_areAllowedAndOthersDenied() {
    PolicedDevice lamp = device("lamp-1", DEVICE_POLICY);

    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.CONNECT, "lamp-1")).isTrue();
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.CONNECT, "lamp-2")).isFalse();
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.PUBLISH, "devices/lamp-1/state"))
        .isTrue();
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.PUBLISH, "devices/lamp-2/state"))
        .isFalse();
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.RECEIVE, "devices/lamp-1/cmd")).isTrue();
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.SUBSCRIBE, "devices/lamp-1/#")).isTrue();
    // A topic filter is a resource of its own: devices/lamp-1/+ is not devices/lamp-1/#.
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.SUBSCRIBE, "devices/lamp-1/+"))
        .isFalse();
    // Explicit deny wins over the allow.
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.PUBLISH, "devices/lamp-1/secret"))
        .isFalse();
    // Retain needs iot:RetainPublish, which the policy does not grant.
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.RETAIN_PUBLISH, "devices/lamp-1/s"))
        .isFalse();
  }

  @Test
  void cachedDecision_afterRebind_followsTheNewPolicies() {
    PolicedDevice lamp = device("lamp-1", DEVICE_POLICY);
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.PUBLISH, "devices/lamp-1/state"))
        .isTrue();
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.PUBLISH, "devices/lamp-1/state"))
        .isTrue();

    lamp.policy().rebind(prepared(NOTHING_POLICY, "lamp-1"));

    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.PUBLISH, "devices/lamp-1/state"))
        .isFalse();
    assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.CONNECT, "lamp-1")).isTrue();
  }

  @Test
  void manyUniqueTopics_decisionsStayCorrectBeyondTheCacheBound() {
    PolicedDevice lamp = device("lamp-1", DEVICE_POLICY);
    for (int i = 0; i < ConnectionPolicy.MAX_CACHED_DECISIONS * 3; i++) {
      assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.PUBLISH, "devices/lamp-1/t" + i))
          .isTrue();
      assertThat(authorizer.isAllowed(lamp, "lamp-1", Action.PUBLISH, "devices/x/t" + i)).isFalse();
    }
  }

  @Test
  void principalsThatAreNotDevices_areNotPoliced() {
    assertThat(authorizer.isAllowed(Principal.ANONYMOUS, "tool", Action.PUBLISH, "any/topic"))
        .isTrue();
  }
}
