package dev.slipway.store;

import java.time.Instant;

/**
 * The right to act on one environment, held by one control plane until {@code expiresAt} unless it
 * renews it first. Times are the database's clock.
 *
 * @param token grows by one on every acquisition of the environment's lease, by anyone, and never
 *     goes back: a write fenced by a lease commits only while the stored token is still this one
 * @param acquiredAt when this holder took the lease
 * @param renewedAt when it was last renewed (equal to {@code acquiredAt} at first)
 * @param expiresAt when it lapses unless renewed
 */
public record Lease(String environment, long token, LeaseHolder holder, Instant acquiredAt, Instant renewedAt,
    Instant expiresAt) {

  Lease renewed(Instant now, Instant until) {
    return new Lease(environment, token, holder, acquiredAt, now, until);
  }

  /**
   * {@code pid 4242 on host build-1 (/srv/shop/slipway.yaml) since 12:00:01, lease until 12:00:11}.
   */
  public String describe() {
    return holder.describe() + " since " + TimeText.local(acquiredAt) + ", lease until " + TimeText.local(expiresAt);
  }
}
