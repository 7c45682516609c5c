/**
 * IoT policies on the message path: the adapter between the broker's {@code Authorizer} SPI and the
 * policy service and language of the domain.
 *
 * <p>At CONNECT, off the event loop, {@link io.pylon.server.authorization.DevicePolicyLoader}
 * gathers a certificate's effective policies (attached to the certificate, and to the thing groups
 * and their ancestors of things attached to it) and binds them to the connection's context (client
 * id, attached thing, certificate fields, source address) as a {@link
 * io.pylon.server.authorization.ConnectionPolicy}. {@link
 * io.pylon.server.authorization.PolicyAuthorizer} then answers connect, publish, subscribe and
 * receive checks from memory, with a per-connection decision cache. {@link
 * io.pylon.server.authorization.LivePolicies} rebinds every live connection when policies,
 * attachments or the registry change, so a change reaches connected devices within a second.
 */
package io.pylon.server.authorization;
