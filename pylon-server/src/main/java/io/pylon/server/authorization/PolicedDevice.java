package io.pylon.server.authorization;

import io.pylon.server.auth.DeviceIdentity;

/**
 * A device connection with its policies: the principal the broker hands back to {@link
 * PolicyAuthorizer} on every check.
 */
public record PolicedDevice(String certificateId, ConnectionPolicy policy)
    implements DeviceIdentity {}
