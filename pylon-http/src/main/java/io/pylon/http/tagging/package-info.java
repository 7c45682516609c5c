/**
 * REST handlers for resource tags (service {@code iot}): {@link io.pylon.http.tagging.TagsApi} for
 * TagResource, UntagResource and ListTagsForResource, and {@link io.pylon.http.tagging.TagJson} for
 * the {@code tags} member that Create operations share.
 */
package io.pylon.http.tagging;
