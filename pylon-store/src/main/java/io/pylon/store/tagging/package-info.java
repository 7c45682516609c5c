/**
 * Resource tags ({@code io.pylon.domain.tagging.TagStore}) over a {@link io.pylon.store.Database},
 * in table {@code resource_tag} of migration {@code V2__registry.sql}.
 */
package io.pylon.store.tagging;
