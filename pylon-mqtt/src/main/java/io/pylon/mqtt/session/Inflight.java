package io.pylon.mqtt.session;

/**
 * An outbound QoS 1 or 2 message sent and not yet acknowledged. Guarded by its session's monitor.
 */
public final class Inflight {

  private final Delivery delivery;
  private final int packetId;
  private boolean released;

  Inflight(Delivery delivery, int packetId) {
    this.delivery = delivery;
    this.packetId = packetId;
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
