/**
 * The thing registry as AWS IoT has it: things, thing types, static thing groups (a hierarchy of at
 * most seven levels) and the attachment of principals (certificates, Cognito ids) to things.
 *
 * <p>Entry points are {@link io.pylon.domain.registry.ThingService}, {@link
 * io.pylon.domain.registry.ThingTypeService}, {@link io.pylon.domain.registry.ThingGroupService}
 * and {@link io.pylon.domain.registry.ThingPrincipalService}; they validate input with the AWS
 * model's patterns and quotas ({@link io.pylon.domain.registry.RegistryConstraints}) and throw the
 * exceptions of {@code io.pylon.domain.error}. Storage is behind the {@code XxxStore} interfaces
 * (bundled as {@link io.pylon.domain.registry.RegistryStores}); the {@code MemoryXxxStore} classes
 * are the reference implementation used by tests. Whether a principal exists is asked of a {@link
 * io.pylon.domain.registry.PrincipalDirectory}, which the identity service provides.
 */
package io.pylon.domain.registry;
