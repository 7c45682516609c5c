package io.pylon.mqtt.store;

import io.pylon.mqtt.message.ApplicationMessage;

/**
 * A message that was sent to the client and not yet completed, as it is stored: it keeps its packet
 * identifier so that a resend after a restart is recognisably the same PUBLISH (DUP, same id), and
 * a QoS 2 message that the client already received keeps waiting for PUBCOMP instead of being sent
 * again.
 *
 * @param packetId the packet identifier it was sent with, 1..65535
 * @param released QoS 2 only: PUBREC was received and PUBREL sent; only PUBREL is resent
 * @param sentAtMillis epoch millis of the first send, for the redelivery window
 * @param message the message with the QoS and RETAIN flag it was delivered with
 */
public record StoredInflight(
    int packetId, boolean released, long sentAtMillis, ApplicationMessage message) {

  public StoredInflight {
    if (packetId < 1 || packetId > 0xFFFF) {
      throw new IllegalArgumentException("packet id out of range: " + packetId);
    }
  }
}
