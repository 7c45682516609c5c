/**
 * REST handlers of the thing registry (service {@code iot}): {@link
 * io.pylon.http.registry.ThingsApi}, {@link io.pylon.http.registry.ThingTypesApi}, {@link
 * io.pylon.http.registry.ThingGroupsApi} and {@link io.pylon.http.registry.ThingPrincipalsApi}.
 * Each reads the operation's members as the AWS model places them (path, query, header, body),
 * calls the registry services and answers the model's output shape.
 */
package io.pylon.http.registry;
