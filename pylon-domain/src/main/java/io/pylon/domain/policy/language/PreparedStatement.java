package io.pylon.domain.policy.language;

import java.util.List;

/** A statement bound to one context: variables substituted, conditions already decided. */
final class PreparedStatement {

  final CompiledStatement compiled;
  final StatementRef ref;
  final Decision decision;
  final boolean conditionsHold;
  final List<String> missing;
  private final Glob[] resources;
  private final boolean notResource;

  PreparedStatement(
      CompiledStatement compiled,
      StatementRef ref,
      boolean conditionsHold,
      Glob[] resources,
      List<String> missing) {
    this.compiled = compiled;
    this.ref = ref;
    this.conditionsHold = conditionsHold;
    this.resources = resources;
    this.notResource = compiled.statement.notResource();
    this.missing = missing;
    this.decision =
        new Decision(
            compiled.deny() ? AuthDecision.EXPLICIT_DENY : AuthDecision.ALLOWED,
            List.of(ref),
            List.of());
  }

  boolean matchesResource(String resource) {
    for (Glob pattern : resources) {
      if (pattern.matches(resource)) {
        return !notResource;
      }
    }
    return notResource;
  }
}
