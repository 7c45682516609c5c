/**
 * Topic rules and topic rule destinations ({@code io.pylon.domain.rules.TopicRuleStore} and {@code
 * TopicRuleDestinationStore}) over a {@link io.pylon.store.Database}, in tables {@code topic_rule}
 * and {@code topic_rule_destination} of migration {@code V8__topic_rules.sql}.
 */
package io.pylon.store.rules;
