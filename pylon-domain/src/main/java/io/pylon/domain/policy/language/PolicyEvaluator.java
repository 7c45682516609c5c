package io.pylon.domain.policy.language;

import java.util.List;

/**
 * Entry point of the policy language: decides requests against a principal's policies as AWS IoT
 * does. For the message path, {@link #prepare} once per connection and call {@link
 * PreparedPolicies#evaluate} per request; the one-shot methods here prepare every time.
 */
public final class PolicyEvaluator {

  private PolicyEvaluator() {}

  /** Binds {@code policies} to {@code context} for repeated evaluation. */
  public static PreparedPolicies prepare(List<NamedPolicy> policies, PolicyContext context) {
    return PreparedPolicies.prepare(policies, context);
  }

  /** One decision, naming the first deciding statement. */
  public static Decision evaluate(List<NamedPolicy> policies, AuthorizationRequest request) {
    return prepare(policies, request.context()).evaluate(request.action(), request.resource());
  }

  /** One decision naming every deciding statement and every missing context value. */
  public static Decision explain(List<NamedPolicy> policies, AuthorizationRequest request) {
    return prepare(policies, request.context()).explain(request.action(), request.resource());
  }
}
