package io.pylon.server.cli;

import java.time.Duration;

/**
 * How a foreground command learns that the process should stop. In production that is a JVM
 * shutdown hook (SIGINT, SIGTERM); tests count down a latch instead.
 */
public interface StopSignal {

  /** Blocks until a stop is requested. */
  void await() throws InterruptedException;

  /** Reports that the server is closed; a shutdown hook waiting for it then lets the JVM exit. */
  void released();

  /**
   * A signal fired by JVM shutdown. The hook waits (up to {@code closeTimeout}) for the command's
   * thread to close the server, because the JVM halts as soon as its hooks return.
   */
  static StopSignal onJvmShutdown(Duration closeTimeout) {
    return JvmShutdownSignal.install(closeTimeout);
  }
}
