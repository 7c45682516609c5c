/**
 * REST handlers for the rules engine's control plane (service {@code iot}): {@link
 * io.pylon.http.rules.TopicRulesApi} for topic rules and topic rule destinations, and {@link
 * io.pylon.http.rules.TaggingHeader} for the {@code x-amz-tagging} header of CreateTopicRule.
 */
package io.pylon.http.rules;
