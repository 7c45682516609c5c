package io.pylon.server.authorization;

import io.pylon.domain.AwsAccount;
import io.pylon.mqtt.spi.Action;
import io.pylon.mqtt.spi.Authorizer;
import io.pylon.mqtt.spi.Principal;

/**
 * The broker's authorizer when IoT policies are enforced: devices are decided by their policies;
 * principals that are not devices (a SigV4-signed WebSocket, signed with the administrator's keys,
 * and anonymous clients of a loopback listener) may do anything, as AWS lets IAM decide for the
 * former and the latter only exist on a developer's machine.
 */
public final class PolicyAuthorizer implements Authorizer {

  private final String arnPrefix;

  public PolicyAuthorizer(AwsAccount account) {
    this.arnPrefix = "arn:aws:iot:" + account.region() + ':' + account.accountId() + ':';
  }

  @Override
  public boolean isAllowed(Principal principal, String clientId, Action action, String resource) {
    if (principal instanceof PolicedDevice) {
      return ((PolicedDevice) principal).policy().allows(action, resource, arnPrefix);
    }
    return true;
  }
}
