package io.pylon.mqtt.spi;

/**
 * The outcome of authenticating a CONNECT: a principal, or the MQTT 5 reason code to refuse with
 * (mapped to the nearest 3.1.1 return code for older clients).
 */
public record AuthResult(Principal principal, int reasonCode, String reason) {

  /** MQTT 5 reason code 0x86: bad user name or password. */
  public static final int BAD_USERNAME_OR_PASSWORD = 0x86;

  /** MQTT 5 reason code 0x87: not authorized. */
  public static final int NOT_AUTHORIZED = 0x87;

  public static AuthResult allow(Principal principal) {
    return new AuthResult(principal, 0, null);
  }

  public static AuthResult deny(int reasonCode, String reason) {
    return new AuthResult(null, reasonCode, reason);
  }

  public boolean allowed() {
    return principal != null;
  }
}
