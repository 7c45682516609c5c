/**
 * The rules runtime: where the broker's messages meet the topic rules.
 *
 * <p>{@link io.pylon.server.rules.RuleEngine} is a broker listener and the Basic Ingest
 * interceptor: it looks up the rules whose FROM filter matches a message in a topic trie on the
 * event loop and hands the message to a bounded evaluation pool. {@link
 * io.pylon.server.rules.RuleCompiler} turns a saved rule into an {@link
 * io.pylon.server.rules.ActiveRule} (SQL compiled once, actions prepared, each behind its bounded
 * {@link io.pylon.server.rules.ActionLane}); {@link io.pylon.server.rules.TopicRuleRuntime} keeps
 * the running rules in step with the saved ones. {@link io.pylon.server.rules.RuleRun} runs one
 * rule's actions for one message and sends failures to the error action. {@link
 * io.pylon.server.rules.RuleDryRun} shows what a rule would do without doing it, and {@link
 * io.pylon.server.rules.HttpDestinationConfirmations} posts the confirmation requests of topic rule
 * destinations.
 */
package io.pylon.server.rules;
