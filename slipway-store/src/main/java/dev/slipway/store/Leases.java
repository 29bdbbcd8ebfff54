package dev.slipway.store;

import java.time.Duration;
import java.util.Optional;

/**
 * Leases on environments: at most one holder acts on an environment at a time, and a holder that
 * lost its lease can no longer write to it. Obtained from {@link StateStore#leases()}.
 *
 * <pre>{@code
 * Lease lease = store.leases().acquire("prod", LeaseHolder.thisProcess("slipway.yaml"), Duration.ofSeconds(10));
 * StateStore fenced = store.leases().fenced(lease);    // every write checks the lease, atomically
 * lease = store.leases().renew(lease, Duration.ofSeconds(10));   // well before lease.expiresAt()
 * }</pre>
 *
 * <p>Expiry is judged by the database's clock, so the holders' clocks need not agree. Every call is
 * a transaction of its own, on a connection of its own, so that renewals do not queue behind the
 * store's other work.
 */
public interface Leases {

  /**
   * Takes the environment's lease if nobody holds it or its holder let it expire, with a token one
   * higher than any before. With the H2 store, which only one process can open, a lease left by
   * another process is taken at once: that process is gone.
   *
   * @throws LeaseHeldException when another holder's lease has not expired
   */
  Lease acquire(String environment, LeaseHolder holder, Duration ttl) throws LeaseHeldException, StoreException;

  /**
   * Extends the lease to {@code ttl} from now.
   *
   * @throws LeaseLostException when the lease expired or someone else took it: stop acting
   */
  Lease renew(Lease lease, Duration ttl) throws LeaseLostException, StoreException;

  /** Gives the lease up, so that the next holder need not wait for it to expire; nothing if it is no longer held. */
  void release(Lease lease) throws StoreException;

  /** The environment's lease if someone holds it now (it has not expired). */
  Optional<Lease> current(String environment) throws StoreException;

  /**
   * The store as its holder must use it: every write to the lease's environment locks the lease in
   * the same transaction and commits only if the stored token is still {@code lease.token()} and it
   * has not expired; otherwise the write is refused with {@link LeaseLostException}. Writes to other
   * environments are refused. Closing the returned store leaves this one open and refuses its
   * further writes.
   */
  StateStore fenced(Lease lease);
}
