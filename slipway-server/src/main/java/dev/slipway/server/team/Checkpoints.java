package dev.slipway.server.team;

import dev.slipway.api.team.CheckpointView;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Signs a checkpoint of the audit chain (count and head hash, Ed25519) whenever the chain grew since the
 * last one, checked every {@code periodSeconds} (at most a minute), and on request.
 */
final class Checkpoints implements AutoCloseable {
  private final TeamLedger ledger;
  private final Clock clock;
  private final java.io.PrintStream out;
  private final ReentrantLock lock = new ReentrantLock();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
      Thread.ofVirtual().name("audit-checkpoints").factory());

  Checkpoints(TeamLedger ledger, Clock clock, java.io.PrintStream out) {
    this.ledger = ledger;
    this.clock = clock;
    this.out = out;
  }

  void start(long periodSeconds) {
    ticker.scheduleWithFixedDelay(this::signIfGrown, periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  CheckpointView signNow() {
    lock.lock();
    try {
      return ledger.checkpoint(clock.instant());
    } finally {
      lock.unlock();
    }
  }

  void signIfGrown() {
    lock.lock();
    try {
      long count = ledger.auditCount();
      long signed = ledger.latestCheckpoint().map(CheckpointView::count).orElse(0L);
      if (count > signed) {
        ledger.checkpoint(clock.instant());
      }
    } catch (RuntimeException e) {
      // The store may be briefly away; the next tick signs what the chain is then. A chain that no longer
      // extends the last checkpoint is refused by the log: that is for the operator to see at once.
      out.println("slipway server: no audit checkpoint signed: " + (e instanceof dev.slipway.server.ApiError a
          ? String.join("; ", a.details()) : e.getMessage()));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
