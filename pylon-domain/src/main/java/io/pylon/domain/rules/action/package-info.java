/**
 * The rule action SPI: what a kind of action ({@code republish}, {@code http}, {@code lambda}, and
 * the data-store actions that follow) implements to be validated when a rule is saved and run when
 * the rule matches a message.
 *
 * <p>{@link io.pylon.domain.rules.action.RuleActionType} validates an action's JSON configuration
 * once, compiling its substitution templates, into a {@link
 * io.pylon.domain.rules.action.RuleAction}; the rules runtime then calls {@link
 * io.pylon.domain.rules.action.RuleAction#execute} for every message the rule selects. Actions are
 * asynchronous and never block the caller for I/O; a failure completes the returned stage with an
 * {@link io.pylon.domain.rules.action.ActionFailedException} whose message becomes the error
 * action's {@code errorMessage}.
 */
package io.pylon.domain.rules.action;
