package dev.slipway.model;

import java.time.Duration;
import java.util.List;

/**
 * {@code environments.E.promotion}: where an environment's releases come from and what must hold
 * before one is promoted into it.
 *
 * @param from      the environment whose verified releases are promoted here
 * @param soak      how long a release must have served in {@code from} (0: no soak)
 * @param approvals how many approvals the promotion needs (0: none); the requester's own never counts
 * @param approvers the roles whose members may approve; default {@code [approver]}
 * @param window    when promotions may run, or null for any time
 */
public record PromotionSpec(String from, Duration soak, int approvals, List<String> approvers, WindowSpec window) {
  /** The approvers when {@code approvers:} is not written. */
  public static final List<String> DEFAULT_APPROVERS = List.of("approver");

  public PromotionSpec {
    soak = soak == null ? Duration.ZERO : soak;
    approvers = approvers == null ? DEFAULT_APPROVERS : List.copyOf(approvers);
  }

  /** A promotion from {@code from} with no soak, approvals or window. */
  public PromotionSpec(String from) {
    this(from, null, 0, null, null);
  }
}
