package io.pylon.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of the load tool itself, to show whether the tool rather than the server was the limit.
 */
final class CpuClock {

  private CpuClock() {}

  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
