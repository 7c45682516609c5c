package io.pylon.server.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A {@link StopSignal} driven by a JVM shutdown hook. */
final class JvmShutdownSignal implements StopSignal {

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  /** Set while a running server waits for the signal: only then is a JVM shutdown a clean stop. */
  private volatile boolean serving;

  private JvmShutdownSignal() {}

  static JvmShutdownSignal install(Duration closeTimeout) {
    JvmShutdownSignal signal = new JvmShutdownSignal();
    Thread hook =
        new Thread(
            () -> {
              signal.stopRequested.countDown();
              try {
                // Bounded, so that a server that cannot close does not keep a killed process alive
                // forever.
                if (signal.closed.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    && signal.serving) {
                  // A JVM stopped by SIGTERM otherwise exits with 143; a clean stop is a success
                  // for
                  // systemd and Kubernetes, so report 0 once the server has closed.
                  System.out.flush();
                  System.err.flush();
                  Runtime.getRuntime().halt(PylonCli.EXIT_OK);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "pylon-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return signal;
  }

  @Override
  public void await() throws InterruptedException {
    serving = true;
    stopRequested.await();
  }

  @Override
  public void released() {
    closed.countDown();
  }
}
