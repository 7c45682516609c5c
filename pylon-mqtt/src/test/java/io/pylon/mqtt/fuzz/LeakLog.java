package io.pylon.mqtt.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what Netty's {@link ResourceLeakDetector} logs. The detector reports a leak only when a
 * leaked buffer has been garbage-collected and a later allocation polls its reference queue, so
 * {@link #leaksAfterGc} forces both before reading.
 */
final class LeakLog implements AutoCloseable {

  private static final String PROBE = "pylon-fuzz leak-log probe";

  /** Hint on the buffer the self-test leaks on purpose; its report is not a failure elsewhere. */
  static final String DELIBERATE = "pylon-fuzz-deliberate-leak";

  private final Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level previousLevel = logger.getLevel();
  private final boolean previousAdditive = logger.isAdditive();

  LeakLog() {
    appender.start();
    logger.addAppender(appender);
    // Reports go into assertion messages; kept off the console, where the self-test's deliberate
    // leak would read like a real one.
    logger.setAdditive(false);
    if (!logger.isErrorEnabled()) {
      logger.setLevel(Level.ERROR);
    }
  }

  /**
   * Proves the capture path: logs through Netty's own logging facade under the detector's logger
   * name and checks the appender saw it. Without this a misrouted logger would pass silently.
   */
  boolean wired() {
    InternalLoggerFactory.getInstance(ResourceLeakDetector.class).error(PROBE);
    return messages().contains(PROBE);
  }

  /**
   * Leak reports seen so far, after collecting garbage and giving the detector allocations to run
   * on; the self-test's deliberate leak excluded.
   */
  List<String> leaksAfterGc() throws InterruptedException {
    return allLeaksAfterGc().stream()
        .filter(m -> !m.contains(DELIBERATE))
        .collect(Collectors.toList());
  }

  boolean sawDeliberateLeakAfterGc() throws InterruptedException {
    return allLeaksAfterGc().stream().anyMatch(m -> m.contains(DELIBERATE));
  }

  private List<String> allLeaksAfterGc() throws InterruptedException {
    for (int round = 0; round < 5; round++) {
      System.gc();
      Thread.sleep(50);
      // Every tracked allocation makes the detector drain its queue of collected, unreleased
      // buffers.
      for (int i = 0; i < 2_000; i++) {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(64);
        pooled.release();
        ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(64);
        unpooled.release();
      }
    }
    return messages().stream().filter(m -> m.contains("LEAK")).collect(Collectors.toList());
  }

  private List<String> messages() {
    // The appender adds under its own monitor, from whichever thread allocated.
    synchronized (appender) {
      return appender.list.stream()
          .map(ILoggingEvent::getFormattedMessage)
          .collect(Collectors.toList());
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setAdditive(previousAdditive);
    logger.setLevel(previousLevel);
    appender.stop();
  }
}
