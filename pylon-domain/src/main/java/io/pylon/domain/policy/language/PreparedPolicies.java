package io.pylon.domain.policy.language;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A principal's policies bound to one {@link PolicyContext}: every policy variable substituted and
 * every condition decided once, so that {@link #evaluate} only matches the action and the resource
 * ARN. Statements are grouped per action on first use. Build one per connection (or per HTTP
 * request) with {@link PolicyEvaluator#prepare}, and again when the policies or the context change.
 *
 * <p>Thread-safe. {@link #evaluate} allocates nothing once an action has been seen: its decisions
 * are built at preparation.
 */
public final class PreparedPolicies {

  /** Actions are chosen by the server, not by clients; the bound only guards against misuse. */
  private static final int MAX_CACHED_ACTIONS = 64;

  private record ActionPlan(PreparedStatement[] denies, PreparedStatement[] allows) {}

  private final PreparedStatement[] statements;
  private volatile Map<String, ActionPlan> plans = Map.of();

  PreparedPolicies(PreparedStatement[] statements) {
    this.statements = statements;
  }

  static PreparedPolicies prepare(List<NamedPolicy> policies, PolicyContext context) {
    List<PreparedStatement> prepared = new ArrayList<>();
    for (NamedPolicy policy : policies) {
      for (CompiledStatement compiled : policy.document().compiled()) {
        Set<String> missing = new LinkedHashSet<>();
        boolean holds = true;
        for (ConditionClause clause : compiled.conditions) {
          // Evaluate every clause (no short cut) so that explain() can name every missing value.
          holds &= clause.holds(context, missing);
        }
        Glob[] resources = new Glob[compiled.resources.size()];
        for (int i = 0; i < resources.length; i++) {
          resources[i] = compiled.resources.get(i).bind(context, missing);
        }
        StatementRef ref =
            new StatementRef(policy.name(), compiled.index, compiled.statement.sid());
        prepared.add(new PreparedStatement(compiled, ref, holds, resources, List.copyOf(missing)));
      }
    }
    return new PreparedPolicies(prepared.toArray(PreparedStatement[]::new));
  }

  /**
   * Decides {@code action} on {@code resource}: explicit deny wins, then allow, else implicit deny.
   * The decision names the first deciding statement only.
   */
  public Decision evaluate(String action, String resource) {
    ActionPlan plan = plan(action);
    for (PreparedStatement deny : plan.denies) {
      if (deny.matchesResource(resource)) {
        return deny.decision;
      }
    }
    for (PreparedStatement allow : plan.allows) {
      if (allow.matchesResource(resource)) {
        return allow.decision;
      }
    }
    return Decision.IMPLICIT_DENY;
  }

  /** Shorthand for {@code evaluate(action, resource).allowed()}. */
  public boolean allows(String action, String resource) {
    return evaluate(action, resource).allowed();
  }

  /**
   * As {@link #evaluate}, but names every deciding statement and the context values that statements
   * for this action missed: what TestAuthorization reports. Not for the message path.
   */
  public Decision explain(String action, String resource) {
    List<StatementRef> denies = new ArrayList<>();
    List<StatementRef> allows = new ArrayList<>();
    Set<String> missing = new LinkedHashSet<>();
    for (PreparedStatement statement : statements) {
      if (!statement.compiled.appliesTo(action)) {
        continue;
      }
      missing.addAll(statement.missing);
      if (statement.conditionsHold && statement.matchesResource(resource)) {
        (statement.compiled.deny() ? denies : allows).add(statement.ref);
      }
    }
    if (!denies.isEmpty()) {
      return new Decision(AuthDecision.EXPLICIT_DENY, denies, List.copyOf(missing));
    }
    if (!allows.isEmpty()) {
      return new Decision(AuthDecision.ALLOWED, allows, List.copyOf(missing));
    }
    return new Decision(AuthDecision.IMPLICIT_DENY, List.of(), List.copyOf(missing));
  }

  private ActionPlan plan(String action) {
    ActionPlan plan = plans.get(action);
    if (plan != null) {
      return plan;
    }
    List<PreparedStatement> denies = new ArrayList<>();
    List<PreparedStatement> allows = new ArrayList<>();
    for (PreparedStatement statement : statements) {
      if (statement.conditionsHold && statement.compiled.appliesTo(action)) {
        (statement.compiled.deny() ? denies : allows).add(statement);
      }
    }
    plan =
        new ActionPlan(
            denies.toArray(PreparedStatement[]::new), allows.toArray(PreparedStatement[]::new));
    Map<String, ActionPlan> current = plans;
    if (current.size() < MAX_CACHED_ACTIONS) {
      // Copy on write: readers never lock; a lost race only recomputes a plan.
      Map<String, ActionPlan> next = new HashMap<>(current);
      next.put(action, plan);
      plans = Map.copyOf(next);
    }
    return plan;
  }
}
