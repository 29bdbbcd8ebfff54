package dev.slipway.plan.promotion;

import java.util.List;

/**
 * A decision on a promotion.
 *
 * @param user     who decided
 * @param roles    the user's roles: an approval counts when one is among the approvers, or is admin
 * @param decision {@link #APPROVED} or {@link #REJECTED}
 * @param comment  the comment, or null
 */
public record Approval(String user, List<String> roles, String decision, String comment) {
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";

  public Approval {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  public boolean rejects() {
    return REJECTED.equals(decision);
  }
}
