package dev.slipway.plan.promotion;

import java.time.Duration;
import java.time.Instant;

/**
 * "Verified in E": a service's current release there is {@code live} (it reached 100%), its analysis
 * passed or it had none, it has served for at least the target's soak, and no rollback of that
 * service there happened since it went live.
 */
public final class Verification {
  private Verification() {}

  /** Whether {@code facts} count as verified for a promotion with {@code soak} at {@code now}. */
  public static boolean verified(ReleaseFacts facts, Duration soak, Instant now) {
    return whyNot(facts, soak, now) == null;
  }

  /**
   * Why {@code facts} are not verified, for a person ("live 45m of the 1h soak"), or null when they are.
   */
  public static String whyNot(ReleaseFacts facts, Duration soak, Instant now) {
    if (facts == null || facts.release() == null) {
      return "no release there";
    }
    if (!ReleaseFacts.LIVE.equals(facts.state())) {
      return "it is " + (facts.state() == null ? "not live" : facts.state() + ", not live");
    }
    if (facts.liveSince() == null) {
      return "it has not reached 100% yet";
    }
    String analysis = facts.analysis() == null ? ReleaseFacts.NONE : facts.analysis();
    if (!analysis.equals(ReleaseFacts.PASSED) && !analysis.equals(ReleaseFacts.NONE)) {
      return "its analysis " + analysis;
    }
    if (facts.lastRollback() != null && facts.lastRollback().isAfter(facts.liveSince())) {
      return "rolled back at " + Texts.instant(facts.lastRollback()) + ", after it went live";
    }
    Duration served = served(facts, now);
    if (soak != null && served.compareTo(soak) < 0) {
      return "live " + DurationText.compact(served) + " of the " + DurationText.compact(soak) + " soak";
    }
    return null;
  }

  /** How long the release has served at 100%: zero when it is not live. */
  public static Duration served(ReleaseFacts facts, Instant now) {
    if (facts == null || facts.liveSince() == null || !ReleaseFacts.LIVE.equals(facts.state())) {
      return Duration.ZERO;
    }
    Duration d = Duration.between(facts.liveSince(), now);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
