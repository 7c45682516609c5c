package io.pylon.it.harness;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Registered for every test class (META-INF/services, autodetection on in
 * junit-platform.properties).
 *
 * <ul>
 *   <li>Logs stay in memory ({@link MemoryAppender}); when a test fails, the lines logged since its
 *       class started and the output of processes it {@linkplain #attach attached} are printed.
 *   <li>After each class, garbage is collected and Netty's leak detector (PARANOID in the build) is
 *       made to report; any {@code LEAK:} report fails the class.
 * </ul>
 */
public final class LogCapture
    implements BeforeAllCallback, BeforeEachCallback, TestWatcher, AfterAllCallback {

  private static final int MAX_PRINTED_LINES = 4_000;
  private static final Map<String, Supplier<String>> ATTACHMENTS = new LinkedHashMap<>();
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(LogCapture.class);

  /** Adds text (e.g. a spawned server's output) to what is printed if the current test fails. */
  public static synchronized void attach(String name, Supplier<String> text) {
    ATTACHMENTS.put(name, text);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NS).put("mark", MemoryAppender.mark());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    synchronized (LogCapture.class) {
      ATTACHMENTS.clear();
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    long mark =
        Optional.ofNullable(
                context.getParent().orElse(context).getStore(NS).get("mark", Long.class))
            .orElse(0L);
    StringBuilder b = new StringBuilder();
    b.append("\n======== logs for failed test ")
        .append(context.getDisplayName())
        .append(" in ")
        .append(context.getRequiredTestClass().getSimpleName())
        .append(" ========\n");
    for (String line : MemoryAppender.since(mark, MAX_PRINTED_LINES)) {
      b.append(line);
    }
    synchronized (LogCapture.class) {
      for (Map.Entry<String, Supplier<String>> a : ATTACHMENTS.entrySet()) {
        b.append("-------- ").append(a.getKey()).append(" --------\n");
        try {
          b.append(a.getValue().get()).append('\n');
        } catch (RuntimeException e) {
          b.append("(unavailable: ").append(e).append(")\n");
        }
      }
    }
    b.append("======== end of logs ========\n");
    System.out.print(b);
    System.out.flush();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    long mark = Optional.ofNullable(context.getStore(NS).get("mark", Long.class)).orElse(0L);
    provokeLeakReports();
    List<String> leaks = MemoryAppender.leaksSince(mark);
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "Netty reported "
              + leaks.size()
              + " leaked buffer(s) during "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n", leaks));
    }
  }

  /**
   * Netty reports a leak when a later allocation finds a collected, unreleased buffer on its
   * reference queue: collect garbage, then allocate, a few times over.
   */
  private static void provokeLeakReports() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      for (int i = 0; i < 64; i++) {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        pooled.release();
        ByteBuf heap = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        heap.release();
      }
    }
  }
}
