package dev.slipway.store;

import java.time.Duration;

/**
 * The environment's lease is held by someone else and has not expired: {@code environment prod is
 * owned by another control plane: pid 4242 on host build-1 (/srv/shop/slipway.yaml) since 12:00:01,
 * lease until 12:00:11}.
 */
public final class LeaseHeldException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final transient Lease held;
  private final Duration remaining;

  public LeaseHeldException(String operation, Lease held, Duration remaining) {
    super(operation, "environment " + held.environment() + " is owned by another control plane: " + held.describe(),
        "stop that control plane first (`slipway down` where it runs); if it is gone, its lease lapses by itself");
    this.held = held;
    this.remaining = remaining;
  }

  /** The lease that is in the way. */
  public Lease held() {
    return held;
  }

  /** How long the lease has left by the database's clock, unless its holder renews it. */
  public Duration remaining() {
    return remaining;
  }
}
