package io.pylon.domain.rules.action;

import io.pylon.domain.rules.sql.IncomingMessage;
import io.pylon.domain.rules.sql.SqlEnvironment;

/**
 * One run of an action: the message that matched, what the rule's SELECT made of it, and the
 * environment substitution templates are rendered in.
 *
 * @param ruleName the rule that matched
 * @param message the incoming message; substitution templates are evaluated against it
 * @param payload the rule's output (the SELECT result), which the action sends
 * @param environment what templates may reach outside the message
 */
public record ActionInvocation(
    String ruleName, IncomingMessage message, byte[] payload, SqlEnvironment environment) {}
