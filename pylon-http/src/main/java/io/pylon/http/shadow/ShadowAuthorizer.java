package io.pylon.http.shadow;

import io.pylon.http.rest.RestRequest;

/**
 * Whether a REST caller may do a shadow action ({@code iot:GetThingShadow}, ...) on a resource
 * ({@code thing/T} or {@code thing/T/S}, the part after {@code arn:aws:iot:region:account:}).
 * Devices are decided by their IoT policies; SigV4 callers are administrators.
 */
@FunctionalInterface
public interface ShadowAuthorizer {

  /** Lets every caller do everything. */
  ShadowAuthorizer ALLOW_ALL = (caller, action, resource) -> true;

  boolean isAllowed(RestRequest.Caller caller, String action, String resource);
}
