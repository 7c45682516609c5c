package io.pylon.domain.policy;

import io.pylon.domain.policy.AuthInfo.ActionType;
import io.pylon.domain.policy.language.AuthDecision;
import io.pylon.domain.policy.language.AuthorizationRequest;
import io.pylon.domain.policy.language.Decision;
import io.pylon.domain.policy.language.NamedPolicy;
import io.pylon.domain.policy.language.PolicyContext;
import io.pylon.domain.policy.language.PolicyDocument;
import io.pylon.domain.policy.language.PolicyEvaluator;
import io.pylon.domain.policy.language.PreparedPolicies;
import io.pylon.domain.policy.language.StatementRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TestAuthorization with the policy language: the same evaluator devices are decided by, asked with
 * {@code explain} so that every deciding policy is named.
 *
 * <p>The context holds what the question gives: the client id and, when the client id names a
 * thing, that thing's name with {@code IsAttached}. Certificate fields and thing attributes are not
 * known here; statements that need them report them as missing context values, as AWS does.
 *
 * <p>One result per {@link AuthInfo}: explicitly denied if any of its resources is, allowed if all
 * are, implicitly denied otherwise. Without an action type the action follows from each resource's
 * type ({@code client/} connect, {@code topicfilter/} subscribe, anything else publish).
 */
public final class PolicySimulator implements AuthorizationSimulator {

  @Override
  public AuthResult simulate(Question question) {
    List<NamedPolicy> named = new ArrayList<>(question.policies().size());
    for (EffectivePolicy policy : question.policies()) {
      named.add(new NamedPolicy(policy.name(), PolicyDocument.parse(policy.document())));
    }
    PolicyContext.Builder context = PolicyContext.builder();
    question.clientId().ifPresent(context::clientId);
    question.thingName().ifPresent(thing -> context.attachedThing(thing, null, Map.of()));
    PreparedPolicies prepared = PolicyEvaluator.prepare(named, context.build());

    AuthInfo info = question.authInfo();
    Set<String> allowed = new LinkedHashSet<>();
    Set<String> denied = new LinkedHashSet<>();
    Set<String> missing = new LinkedHashSet<>();
    boolean allAllowed = !info.resources().isEmpty();
    for (String resource : info.resources()) {
      Decision decision = prepared.explain(action(info, resource), resource);
      missing.addAll(decision.missingContextValues());
      Set<String> deciders =
          decision.authDecision() == AuthDecision.EXPLICIT_DENY ? denied : allowed;
      for (StatementRef ref : decision.decidingStatements()) {
        deciders.add(ref.policyName());
      }
      allAllowed &= decision.allowed();
    }
    List<String> neither = new ArrayList<>();
    for (NamedPolicy policy : named) {
      if (!allowed.contains(policy.name()) && !denied.contains(policy.name())) {
        neither.add(policy.name());
      }
    }
    AuthResult.Decision overall =
        !denied.isEmpty()
            ? AuthResult.Decision.EXPLICIT_DENY
            : allAllowed ? AuthResult.Decision.ALLOWED : AuthResult.Decision.IMPLICIT_DENY;
    return new AuthResult(
        info, overall, List.copyOf(allowed), List.copyOf(denied), neither, List.copyOf(missing));
  }

  private static String action(AuthInfo info, String resource) {
    ActionType type = info.actionType().orElseGet(() -> inferred(resource));
    switch (type) {
      case CONNECT:
        return AuthorizationRequest.CONNECT;
      case SUBSCRIBE:
        return AuthorizationRequest.SUBSCRIBE;
      case RECEIVE:
        return AuthorizationRequest.RECEIVE;
      default:
        return AuthorizationRequest.PUBLISH;
    }
  }

  private static ActionType inferred(String resource) {
    // arn:aws:iot:<region>:<account>:<type>/<name>; the name may itself contain colons.
    String[] parts = resource.split(":", 6);
    String local = parts.length == 6 ? parts[5] : resource;
    if (local.startsWith("client/")) {
      return ActionType.CONNECT;
    }
    if (local.startsWith("topicfilter/")) {
      return ActionType.SUBSCRIBE;
    }
    return ActionType.PUBLISH;
  }
}
