package io.pylon.domain.rules.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.rules.sql.SqlStatement;

/**
 * One action as a rule declares it.
 *
 * @param ruleName the rule the action belongs to
 * @param config the action's JSON object (the value of its member in {@code Action}), read-only
 * @param statement the rule's compiled SQL: its version and {@code SET} variables apply to the
 *     action's substitution templates
 * @param errorAction whether this is the rule's {@code errorAction}
 */
public record ActionDefinition(
    String ruleName, ObjectNode config, SqlStatement statement, boolean errorAction) {}
