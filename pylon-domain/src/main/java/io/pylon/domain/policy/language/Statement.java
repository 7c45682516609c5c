package io.pylon.domain.policy.language;

import java.util.List;

/**
 * One statement of a policy document, as written.
 *
 * @param sid the statement id, or null when the statement has none
 * @param effect allow or deny
 * @param actions the {@code Action} patterns, or the {@code NotAction} patterns when {@code
 *     notAction}
 * @param notAction the statement applies to every action that none of {@code actions} matches
 * @param resources the {@code Resource} patterns, or the {@code NotResource} patterns when {@code
 *     notResource}
 * @param notResource the statement applies to every resource that none of {@code resources} matches
 * @param conditions the condition block, one entry per operator and key; all must hold
 */
public record Statement(
    String sid,
    Effect effect,
    List<String> actions,
    boolean notAction,
    List<String> resources,
    boolean notResource,
    List<Condition> conditions) {

  public Statement {
    actions = List.copyOf(actions);
    resources = List.copyOf(resources);
    conditions = List.copyOf(conditions);
  }
}
