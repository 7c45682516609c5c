/**
 * Device shadows ({@code io.pylon.domain.shadow.ShadowStore}) over a {@link
 * io.pylon.store.Database}, in table {@code shadow} of migration {@code V6__shadows.sql}.
 */
package io.pylon.store.shadow;
