package dev.slipway.server.team;

import dev.slipway.api.team.PreviewView;
import dev.slipway.preview.PreviewException;
import dev.slipway.preview.Previews;
import dev.slipway.store.StoreException;
import dev.slipway.store.audit.AuditLog;
import dev.slipway.store.audit.NewAuditEntry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Removes previews past their TTL (processes, ports, namespace, data), every 30 s, each removal audited. */
final class PreviewSweeper implements AutoCloseable {
  static final long PERIOD_SECONDS = 30;

  private final Previews previews;
  private final AuditLog audit;
  private final Clock clock;
  private final PrintStream out;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
      Thread.ofVirtual().name("preview-sweeper").factory());

  PreviewSweeper(Previews previews, AuditLog audit, Clock clock, PrintStream out) {
    this.previews = previews;
    this.audit = audit;
    this.clock = clock;
    this.out = out;
  }

  void start(long periodSeconds) {
    ticker.scheduleWithFixedDelay(this::sweep, 0, periodSeconds, TimeUnit.SECONDS);
  }

  void sweep() {
    try {
      for (PreviewView gone : previews.sweep(clock.instant(), line -> { })) {
        out.println("slipway server: preview " + gone.name() + " expired and was removed");
        audit.append(new NewAuditEntry("server", "preview.down", null, null, null, null, null, null, "expired (TTL)",
            PreviewAudit.details(gone)));
      }
    } catch (PreviewException | StoreException e) {
      // The next sweep tries again; what stopped this one is for the operator to see.
      out.println("slipway server: the preview sweep failed: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
