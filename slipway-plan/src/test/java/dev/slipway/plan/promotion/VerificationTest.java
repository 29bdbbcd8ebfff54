package dev.slipway.plan.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerificationTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private static ReleaseFacts live(Duration ago, String analysis, Instant lastRollback) {
    return new ReleaseFacts("api", "r3", "registry.local/api@sha256:abc", "live", NOW.minus(ago), analysis,
        lastRollback);
  }

  @Test
  void verified_whenLiveLongerThanTheSoak_withAnalysisPassedOrNone() {
    assertThat(Verification.verified(live(Duration.ofMinutes(61), "passed", null), HOUR, NOW)).isTrue();
    assertThat(Verification.verified(live(HOUR, "none", null), HOUR, NOW)).as("exactly the soak").isTrue();
    assertThat(Verification.whyNot(live(HOUR, null, null), HOUR, NOW)).isNull();
  }

  @Test
  void notVerified_whenSoakIsShort_saysHowLongItServed() {
    assertThat(Verification.whyNot(live(Duration.ofMinutes(45), "passed", null), HOUR, NOW))
        .isEqualTo("live 45m of the 1h soak");
  }

  @Test
  void notVerified_whenAnalysisFailedOrNotLiveOrRolledBackSince() {
    assertThat(Verification.whyNot(live(Duration.ofHours(2), "failed", null), HOUR, NOW))
        .isEqualTo("its analysis failed");
    assertThat(Verification.whyNot(new ReleaseFacts("api", "r4", "i", "in-progress", null, "none", null), HOUR, NOW))
        .isEqualTo("it is in-progress, not live");
    assertThat(Verification.whyNot(live(Duration.ofHours(2), "passed", NOW.minus(HOUR)), HOUR, NOW))
        .isEqualTo("rolled back at 2026-12-07T11:00Z, after it went live");
    assertThat(Verification.verified(live(Duration.ofHours(2), "passed", NOW.minus(Duration.ofHours(3))), HOUR, NOW))
        .as("a rollback before it went live does not count").isTrue();
    assertThat(Verification.whyNot(null, HOUR, NOW)).isEqualTo("no release there");
  }
}
