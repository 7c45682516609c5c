package io.pylon.mqtt.session;

/**
 * What a session needs of the connection it is attached to. Implemented by the connection handler;
 * every method may be called from any thread.
 */
public interface SessionConnection {

  /** Arranges for {@link Session#drainTo} to run soon on the connection's event loop. */
  void scheduleDrain();

  /** Whether the transport can take more bytes now; QoS 0 messages are dropped while it cannot. */
  boolean isWritable();

  /**
   * A newer connection with the same client id took the session over: tell the client (MQTT 5:
   * DISCONNECT 0x8E) and close. The session is already detached when this is called.
   */
  void sessionTakenOver();
}
