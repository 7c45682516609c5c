package io.pylon.mqtt.session;

/**
 * An outbound QoS 1 or 2 message sent and not yet acknowledged. Guarded by its session's monitor.
 */
public final class Inflight {

  private final Delivery delivery;
  private final int packetId;
  private final long sentAtMillis;
  private boolean released;

  Inflight(Delivery delivery, int packetId, long sentAtMillis) {
    this.delivery = delivery;
    this.packetId = packetId;
    this.sentAtMillis = sentAtMillis;
  }

  /** When it was first sent, epoch millis; resends do not renew it. */
  public long sentAtMillis() {
    return sentAtMillis;
  }

  public Delivery delivery() {
    return delivery;
  }

  public int packetId() {
    return packetId;
  }

  /** QoS 2 only: PUBREC received and PUBREL sent, waiting for PUBCOMP. */
  public boolean released() {
    return released;
  }

  void release() {
    released = true;
  }
}
