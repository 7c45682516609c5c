/**
 * Tags on IoT resources by ARN (TagResource, UntagResource, ListTagsForResource, and the {@code
 * tags} member of Create operations): {@link io.pylon.domain.tagging.TaggingService} over a {@link
 * io.pylon.domain.tagging.TagStore}. Which ARNs name an existing taggable resource is asked of
 * {@link io.pylon.domain.tagging.TaggableResources}, which each feature that owns taggable
 * resources provides.
 */
package io.pylon.domain.tagging;
