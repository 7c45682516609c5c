/**
 * Device shadows (classic and named): the JSON document rules of AWS IoT's Device Shadow service in
 * {@link io.pylon.domain.shadow.ShadowDocument} (merge, {@code null} deletes, delta, per-leaf
 * metadata), request validation in {@link io.pylon.domain.shadow.ShadowUpdateRequest}, and {@link
 * io.pylon.domain.shadow.ShadowService}, which applies get/update/delete over a {@link
 * io.pylon.domain.shadow.ShadowStore} with optimistic concurrency and hands back the documents that
 * the MQTT and REST adapters publish ({@code accepted}, {@code delta}, {@code documents}). Failures
 * are {@link io.pylon.domain.shadow.ShadowException}s carrying the shadow error code and message
 * that AWS puts in a {@code /rejected} payload or a REST error body. AWS's request quotas (per
 * shadow per second, in flight per thing) are enforced here too, so MQTT and REST share them.
 */
package io.pylon.domain.shadow;
