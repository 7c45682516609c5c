package io.pylon.server.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A {@link StopSignal} driven by a JVM shutdown hook. */
final class JvmShutdownSignal implements StopSignal {

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  private JvmShutdownSignal() {}

  static JvmShutdownSignal install(Duration closeTimeout) {
    JvmShutdownSignal signal = new JvmShutdownSignal();
    Thread hook = new Thread(() -> {
      signal.stopRequested.countDown();
      try {
        // Bounded, so that a server that cannot close does not keep a killed process alive forever.
        signal.closed.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pylon-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return signal;
  }

  @Override
  public void await() throws InterruptedException {
    stopRequested.await();
  }

  @Override
  public void released() {
    closed.countDown();
  }
}
