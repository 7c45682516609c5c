package io.pylon.domain.rules.action;

/**
 * One kind of rule action, named by its member in AWS's {@code Action} structure.
 *
 * <p>Implementations are stateless factories; whatever an action needs at run time (a broker, an
 * HTTP client, credentials) is given to the implementation's constructor where the server wires it.
 */
public interface RuleActionType {

  /** The action's member name in a {@code TopicRulePayload}: {@code republish}, {@code http}... */
  String key();

  /**
   * Validates an action's configuration and prepares it to run: templates compiled, destinations
   * resolved at run time. Throws {@link io.pylon.domain.error.InvalidRequestException} naming the
   * field at fault, or {@link io.pylon.domain.error.SqlParseException} for a bad template.
   */
  RuleAction prepare(ActionDefinition definition);
}
