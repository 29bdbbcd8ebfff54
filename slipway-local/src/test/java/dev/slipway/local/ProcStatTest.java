package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatTest {

  @Test
  void parse_whenCommandNameHoldsSpacesAndParentheses_readsFieldsAfterTheLastParenthesis() {
    String line = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 300 0 0 0 1 2 0 0 20 0 1 0 987654 "
        + "1000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

    ProcStat s = ProcStat.parse(line);

    assertThat(s.pid()).isEqualTo(4242);
    assertThat(s.comm()).isEqualTo("my (odd) name");
    assertThat(s.state()).isEqualTo('S');
    assertThat(s.ppid()).isEqualTo(1);
    assertThat(s.pgid()).isEqualTo(4242);
    assertThat(s.startTicks()).isEqualTo(987654);
    assertThat(s.cpuTicks()).as("utime 1 + stime 2").isEqualTo(3);
    assertThat(s.alive()).isTrue();
  }

  @Test
  void alive_whenZombie_isFalse() {
    ProcStat s = ProcStat.parse("7 (x) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0");
    assertThat(s.alive()).isFalse();
  }

  @Test
  void read_ownProcess_matchesProcessHandle() {
    long pid = ProcessHandle.current().pid();
    assertThat(ProcStat.read(pid)).hasValueSatisfying(s -> {
      assertThat(s.pid()).isEqualTo(pid);
      assertThat(s.startTicks()).isPositive();
    });
    assertThat(ProcStat.all()).anyMatch(s -> s.pid() == pid);
  }

  @Test
  void uptimeTicks_isNeverBeforeTheStartOfAProcessStartedEarlier() {
    long ownStart = ProcStat.read(ProcessHandle.current().pid()).orElseThrow().startTicks();
    assertThat(ProcStat.uptimeTicks()).isGreaterThanOrEqualTo(ownStart);
  }
}
