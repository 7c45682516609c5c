/**
 * The rules engine's control plane: topic rules (CreateTopicRule, GetTopicRule, ReplaceTopicRule,
 * DeleteTopicRule, ListTopicRules, EnableTopicRule, DisableTopicRule) and topic rule destinations
 * (CreateTopicRuleDestination and the rest, with the confirmation handshake that gates HTTP
 * actions).
 *
 * <p>{@link io.pylon.domain.rules.TopicRuleService} and {@link
 * io.pylon.domain.rules.TopicRuleDestinationService} validate and store; they neither evaluate SQL
 * nor run actions. A rule is checked as it will run (SQL, templates, action settings) through the
 * {@link io.pylon.domain.rules.TopicRuleCheck} port, which the rules runtime implements, and the
 * runtime that executes rules follows every change through a {@link
 * io.pylon.domain.rules.TopicRuleListener}. Actions are kept as the JSON objects the client sent,
 * checked against the shapes of the AWS model ({@link io.pylon.domain.rules.TopicRuleActions}).
 */
package io.pylon.domain.rules;
