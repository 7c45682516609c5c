package io.pylon.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and resident memory of another process, read from Linux {@code /proc}. Used to charge
 * the server under test, not the load tool, for the work of a measured phase.
 */
final class ProcStats {

  /**
   * {@code /proc/<pid>/stat} counts CPU time in USER_HZ ticks, which the kernel ABI fixes at 100
   * per second on every mainstream architecture regardless of the kernel's internal tick rate.
   */
  static final double TICKS_PER_SECOND = 100.0;

  /** CPU ticks (user + system, all threads) and VmRSS at one instant. */
  record Sample(long cpuTicks, long rssKb) {
    double cpuSecondsSince(Sample earlier) {
      return (cpuTicks - earlier.cpuTicks) / TICKS_PER_SECOND;
    }
  }

  private ProcStats() {}

  static Sample sample(long pid) throws IOException {
    Path dir = Path.of("/proc", Long.toString(pid));
    String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
    List<String> status = Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8);
    return new Sample(cpuTicks(stat), rssKb(status));
  }

  /**
   * utime + stime from a {@code /proc/<pid>/stat} line. The command name (field 2) is in
   * parentheses and may itself contain spaces and parentheses, so fields are counted from the last
   * closing parenthesis.
   */
  static long cpuTicks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc stat line: " + stat);
    }
    String[] fields = stat.substring(close + 1).trim().split("\\s+");
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    if (fields.length < 13) {
      throw new IllegalArgumentException("truncated /proc stat line: " + stat);
    }
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** VmRSS in kB from the lines of {@code /proc/<pid>/status}; 0 for a zombie or kernel thread. */
  static long rssKb(List<String> status) {
    for (String line : status) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
        return Long.parseLong(parts[0]);
      }
    }
    return 0;
  }
}
