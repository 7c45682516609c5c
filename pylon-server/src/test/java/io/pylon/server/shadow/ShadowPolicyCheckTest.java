package io.pylon.server.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.policy.EffectivePolicy;
import io.pylon.domain.policy.language.AuthorizationRequest;
import io.pylon.http.rest.RestRequest;
import io.pylon.server.pki.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShadowPolicyCheckTest {

  private static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  private static final String ARN = "arn:aws:iot:us-east-1:123456789012:";

  private static final String LAMP_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iot:GetThingShadow", "iot:UpdateThingShadow"],
         "Resource": "%sthing/lamp"},
        {"Effect": "Allow", "Action": "iot:GetThingShadow", "Resource": "%sthing/lamp/*"}
      ]}
      """
          .formatted(ARN, ARN);

  private static final X509Certificate DEVICE =
      CertificateAuthority.createRoot("Shadow Test CA", Duration.ofDays(1))
          .issueClientCertificate("device", Duration.ofDays(1))
          .certificate();

  private final List<String> asked = new ArrayList<>();
  private final ShadowPolicyCheck check =
      new ShadowPolicyCheck(
          ACCOUNT,
          arn -> {
            asked.add(arn);
            return arn.equals(ARN + "cert/abc")
                ? List.of(new EffectivePolicy("lamp", ARN + "policy/lamp", "1", LAMP_POLICY))
                : List.of();
          },
          id -> id.equals("inactive") ? Optional.empty() : Optional.of(DEVICE));

  @Test
  void device_decidedByItsCertificatesPolicies() {
    RestRequest.Caller device = new RestRequest.Caller.Certificate("abc");

    assertThat(check.isAllowed(device, AuthorizationRequest.UPDATE_THING_SHADOW, "thing/lamp"))
        .isTrue();
    assertThat(check.isAllowed(device, AuthorizationRequest.DELETE_THING_SHADOW, "thing/lamp"))
        .isFalse();
    assertThat(check.isAllowed(device, AuthorizationRequest.GET_THING_SHADOW, "thing/lamp/cfg"))
        .isTrue();
    assertThat(check.isAllowed(device, AuthorizationRequest.UPDATE_THING_SHADOW, "thing/lamp/cfg"))
        .isFalse();
    assertThat(check.isAllowed(device, AuthorizationRequest.GET_THING_SHADOW, "thing/other"))
        .isFalse();
    assertThat(asked).allMatch(arn -> arn.equals(ARN + "cert/abc"));
  }

  @Test
  void deviceWithoutPolicies_deniedEverything() {
    assertThat(
            check.isAllowed(
                new RestRequest.Caller.Certificate("nobody"),
                AuthorizationRequest.GET_THING_SHADOW,
                "thing/lamp"))
        .isFalse();
  }

  @Test
  void certificateNotActive_deniedWithoutLookingAtPolicies() {
    assertThat(
            check.isAllowed(
                new RestRequest.Caller.Certificate("inactive"),
                AuthorizationRequest.GET_THING_SHADOW,
                "thing/lamp"))
        .isFalse();
    assertThat(asked).isEmpty();
  }

  @Test
  void sigV4Caller_isTheAdministrator_allowed() {
    assertThat(
            check.isAllowed(
                new RestRequest.Caller.SigV4("AKID", "us-east-1"),
                AuthorizationRequest.DELETE_THING_SHADOW,
                "thing/lamp"))
        .isTrue();
    assertThat(asked).isEmpty();
  }
}
