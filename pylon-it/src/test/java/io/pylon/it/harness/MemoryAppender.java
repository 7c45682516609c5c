package io.pylon.it.harness;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Keeps formatted log lines in memory (bounded) so that {@link LogCapture} can print them for a
 * failed test only, and records Netty's leak reports so that a leaked buffer fails the build. With
 * {@code -Dpylon.it.logs=console} lines are printed live as well.
 */
public final class MemoryAppender extends AppenderBase<ILoggingEvent> {

  private static final int MAX_LINES = 20_000;
  private static final Object LOCK = new Object();
  private static final Deque<Line> LINES = new ArrayDeque<>();
  private static final List<Line> LEAKS = new ArrayList<>();
  private static long sequence;

  private record Line(long sequence, String text) {}

  private final boolean live = "console".equals(System.getProperty("pylon.it.logs"));
  private PatternLayout layout;

  @Override
  public void start() {
    layout = new PatternLayout();
    layout.setContext(getContext());
    layout.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n%ex{full}");
    layout.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    String text = layout.doLayout(event);
    if (live) {
      System.out.print(text);
    }
    synchronized (LOCK) {
      Line line = new Line(++sequence, text);
      LINES.addLast(line);
      while (LINES.size() > MAX_LINES) {
        LINES.removeFirst();
      }
      if (event.getLevel().isGreaterOrEqual(Level.ERROR)
          && event.getLoggerName().startsWith("io.netty.util.ResourceLeakDetector")) {
        LEAKS.add(line);
      }
    }
  }

  /** The sequence number of the latest line; lines after it are "new". */
  public static long mark() {
    synchronized (LOCK) {
      return sequence;
    }
  }

  /** Lines logged after {@code mark}, at most the last {@code max}. */
  public static List<String> since(long mark, int max) {
    synchronized (LOCK) {
      List<String> out = new ArrayList<>();
      for (Line line : LINES) {
        if (line.sequence() > mark) {
          out.add(line.text());
        }
      }
      return out.size() <= max ? out : out.subList(out.size() - max, out.size());
    }
  }

  /** Netty leak reports logged after {@code mark}. */
  public static List<String> leaksSince(long mark) {
    synchronized (LOCK) {
      return LEAKS.stream().filter(l -> l.sequence() > mark).map(Line::text).toList();
    }
  }
}
