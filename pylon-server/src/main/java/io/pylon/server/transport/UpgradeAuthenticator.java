package io.pylon.server.transport;

import io.netty.handler.codec.http.FullHttpRequest;
import io.pylon.mqtt.spi.Principal;

/**
 * Authenticates the HTTP request that opens an MQTT-over-WebSocket connection (as AWS IoT does: a
 * SigV4-signed URL, or a custom authorizer).
 */
@FunctionalInterface
public interface UpgradeAuthenticator {

  /** The outcome: a principal, or an HTTP status and an AWS error body. */
  record Outcome(Principal principal, int status, String errorType, String message) {

    public static Outcome allow(Principal principal) {
      return new Outcome(principal, 101, null, null);
    }

    public static Outcome deny(int status, String errorType, String message) {
      return new Outcome(null, status, errorType, message);
    }
  }

  Outcome authenticate(FullHttpRequest request);
}
