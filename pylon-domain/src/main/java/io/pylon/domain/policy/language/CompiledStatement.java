package io.pylon.domain.policy.language;

import java.util.Collection;
import java.util.List;

/** A statement with its patterns compiled; independent of any context. */
final class CompiledStatement {

  final Statement statement;
  final int index;
  private final Glob[] actions;
  final List<Template> resources;
  final List<ConditionClause> conditions;

  CompiledStatement(
      Statement statement,
      int index,
      Glob[] actions,
      List<Template> resources,
      List<ConditionClause> conditions) {
    this.statement = statement;
    this.index = index;
    this.actions = actions;
    this.resources = resources;
    this.conditions = conditions;
  }

  boolean deny() {
    return statement.effect() == Effect.DENY;
  }

  boolean appliesTo(String action) {
    boolean listed = false;
    for (Glob pattern : actions) {
      if (pattern.matches(action)) {
        listed = true;
        break;
      }
    }
    return listed != statement.notAction();
  }

  void variables(Collection<VariableRef> out) {
    resources.forEach(r -> r.variables(out));
    conditions.forEach(c -> c.variables(out));
  }
}
