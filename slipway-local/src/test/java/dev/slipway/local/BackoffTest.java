package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void exited_firstTime_restartsQuicklyThenDoubles() {
    Backoff b = new Backoff();

    assertThat(b.exited(t0, Duration.ofSeconds(1)).delay()).isEqualTo(Duration.ofMillis(100));
    assertThat(b.exited(t0.plusSeconds(20), Duration.ofSeconds(1)).delay()).isEqualTo(Duration.ofMillis(200));
    assertThat(b.exited(t0.plusSeconds(40), Duration.ofSeconds(1)).delay()).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void exited_fiveTimesWithinAMinute_isACrashLoop_whoseDelayKeepsDoubling() {
    Backoff b = new Backoff();
    Backoff.Decision d = null;
    for (int i = 0; i < 5; i++) {
      d = b.exited(t0.plusSeconds(i), Duration.ZERO);
      assertThat(d.crashLoop()).isEqualTo(i == 4);
    }
    assertThat(d.delay()).isEqualTo(Duration.ofMillis(1600));
    assertThat(d.exitsInWindow()).isEqualTo(5);
  }

  @Test
  void exited_afterRunningPastItsStart_restartsQuicklyAgain_butStillCountsTowardsACrashLoop() {
    Backoff b = new Backoff();
    for (int i = 0; i < 4; i++) {
      b.exited(t0.plusSeconds(i), Duration.ZERO);
    }

    Backoff.Decision d = b.exited(t0.plusSeconds(15), Duration.ofSeconds(11));

    assertThat(d.delay()).isEqualTo(Backoff.FIRST);
    assertThat(d.crashLoop()).isTrue();
  }

  @Test
  void exited_exitsSpreadOverMoreThanAMinute_isNoCrashLoop() {
    Backoff b = new Backoff();
    for (int i = 0; i < 10; i++) {
      assertThat(b.exited(t0.plusSeconds(20L * i), Duration.ofSeconds(1)).crashLoop()).isFalse();
    }
  }

  @Test
  void exited_afterRunningStablyForAMinute_startsOverAtTheFirstDelay() {
    Backoff b = new Backoff();
    for (int i = 0; i < 8; i++) {
      b.exited(t0.plusSeconds(i), Duration.ZERO);
    }

    Backoff.Decision d = b.exited(t0.plusSeconds(100), Duration.ofSeconds(61));

    assertThat(d.delay()).isEqualTo(Backoff.FIRST);
    assertThat(d.crashLoop()).isFalse();
  }

  @Test
  void exited_manyTimes_neverWaitsLongerThanTheMaximum() {
    Backoff b = new Backoff();
    for (int i = 0; i < 30; i++) {
      assertThat(b.exited(t0.plusSeconds(100L * i), Duration.ZERO).delay()).isLessThanOrEqualTo(Backoff.MAX);
    }
  }
}
