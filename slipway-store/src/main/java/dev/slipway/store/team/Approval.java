package dev.slipway.store.team;

import java.time.Instant;

/**
 * A user's decision on a promotion: one per user per promotion.
 *
 * @param decision {@link #APPROVED} or {@link #REJECTED}
 * @param comment  the user's words, or null
 */
public record Approval(long promotionId, String user, String decision, String comment, Instant at) {
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";
}
