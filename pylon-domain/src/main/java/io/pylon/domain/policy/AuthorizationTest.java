package io.pylon.domain.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TestAuthorization's input.
 *
 * @param principal a certificate or thing group ARN whose policies are tested
 * @param clientId the MQTT client id; when it names a thing, that thing's groups' policies apply
 *     too, as they would for a device connecting with this client id
 * @param authInfos 1..10 questions
 * @param policyNamesToAdd policies tested as if they were attached
 * @param policyNamesToSkip attached policies left out
 */
public record AuthorizationTest(
    Optional<String> principal,
    Optional<String> clientId,
    List<AuthInfo> authInfos,
    List<String> policyNamesToAdd,
    List<String> policyNamesToSkip) {

  public AuthorizationTest {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(clientId, "clientId");
    authInfos = List.copyOf(authInfos);
    policyNamesToAdd = List.copyOf(policyNamesToAdd);
    policyNamesToSkip = List.copyOf(policyNamesToSkip);
  }
}
