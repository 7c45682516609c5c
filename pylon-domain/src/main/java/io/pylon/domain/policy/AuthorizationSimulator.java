package io.pylon.domain.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluates policies for TestAuthorization. The server implements it with the policy language's
 * evaluator: it builds the evaluation context (client id, certificate variables, thing variables)
 * from the question, evaluates each resource of {@link Question#authInfo()} and reports which
 * policies decided. {@link PolicyService} chooses the policies.
 */
@FunctionalInterface
public interface AuthorizationSimulator {

  AuthResult simulate(Question question);

  /**
   * What to evaluate.
   *
   * @param principal the certificate or thing group ARN asked about, empty when only policies to
   *     add were given
   * @param clientId the MQTT client id, for {@code iot:ClientId} and {@code client/...} resources
   * @param thingName the thing whose groups contributed policies (the client id when it names a
   *     thing), for {@code iot:Connection.Thing.*} variables
   * @param policies the policies to evaluate, with their default documents
   * @param authInfo the action and resources to decide on
   */
  record Question(
      Optional<String> principal,
      Optional<String> clientId,
      Optional<String> thingName,
      List<EffectivePolicy> policies,
      AuthInfo authInfo) {

    public Question {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(thingName, "thingName");
      policies = List.copyOf(policies);
      Objects.requireNonNull(authInfo, "authInfo");
    }
  }
}
