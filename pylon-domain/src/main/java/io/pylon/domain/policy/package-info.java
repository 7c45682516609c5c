/**
 * Management of AWS IoT policies: policies and their versions, attachment to targets (certificates
 * and thing groups), the policies in effect for a principal, and TestAuthorization. {@link
 * PolicyService} is the entry point; {@link PolicyStore} is what the storage module implements.
 *
 * <p>What a policy document means is not decided here: documents are checked through {@link
 * PolicyDocumentValidator} and TestAuthorization is answered through {@link
 * AuthorizationSimulator}, both implemented by the server over the policy language ({@code
 * io.pylon.domain.policy.language}). Certificates and thing groups belong to other services and are
 * reached through {@link PolicyTargets} and {@link ThingGroupAncestry}. Changes that can alter an
 * authorization decision are announced to {@link PolicyListener}s after they commit, so that the
 * broker can drop decisions it cached per connection.
 */
package io.pylon.domain.policy;
