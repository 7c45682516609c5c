package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

  @Test
  void cpuTicks_commandNameWithSpacesAndParentheses_countsFieldsFromTheLastParenthesis() {
    // Fields 14 (utime) = 1200 and 15 (stime) = 34; the comm field would shift naive splitting by
    // three.
    String stat =
        "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 9 0 0 0 1200 34 0 0 20 0 5 0 100 1000 200";

    assertThat(ProcStats.cpuTicks(stat)).isEqualTo(1234);
  }

  @Test
  void cpuTicks_truncatedLine_fails() {
    assertThatThrownBy(() -> ProcStats.cpuTicks("1 (x) S 1 2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rssKb_statusLines_readsVmRss() {
    List<String> status =
        List.of("Name:\tmosquitto", "VmPeak:\t   20000 kB", "VmRSS:\t    8632 kB", "Threads:\t1");

    assertThat(ProcStats.rssKb(status)).isEqualTo(8632);
  }

  @Test
  void sample_thisProcess_hasCpuTimeAndResidentMemory() throws IOException {
    ProcStats.Sample s = ProcStats.sample(ProcessHandle.current().pid());

    assertThat(s.cpuTicks()).isPositive();
    assertThat(s.rssKb()).isGreaterThan(1024);
  }

  @Test
  void cpuSecondsSince_usesUserHzTicks() {
    ProcStats.Sample before = new ProcStats.Sample(1_000, 0);
    ProcStats.Sample after = new ProcStats.Sample(1_250, 0);

    assertThat(after.cpuSecondsSince(before)).isEqualTo(2.5);
  }
}
