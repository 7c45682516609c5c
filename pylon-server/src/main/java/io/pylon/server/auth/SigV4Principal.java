package io.pylon.server.auth;

import io.pylon.mqtt.spi.Principal;

/** A client that authenticated with a SigV4 signature: the access key and who owns it. */
public record SigV4Principal(String accessKeyId, String owner) implements Principal {

  @Override
  public String name() {
    return owner + "/" + accessKeyId;
  }
}
