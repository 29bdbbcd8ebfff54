package dev.slipway.plan.promotion;

import java.time.Instant;

/**
 * A freeze on an environment: no deploys or promotions until {@code until}.
 *
 * @param until  when it ends, or null for until lifted
 * @param reason why, as the admin wrote it
 * @param by     the admin who froze it
 */
public record Freeze(Instant until, String reason, String by) {
  /** Whether it is in force at {@code now}. */
  public boolean holdsAt(Instant now) {
    return until == null || now.isBefore(until);
  }
}
