package dev.slipway.cli;

import dev.slipway.api.EventKind;
import dev.slipway.api.EventView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Follows a rollout's events: step, weights, analysis values next to their limits, elapsed time; ends
 * with a one-line verdict. Returns 0 when the new release went live, 1 otherwise.
 */
final class RolloutProgress {
  private static final Set<String> SHOWN = Set.of(EventKind.ROLLOUT_STARTED, EventKind.ROLLOUT_STEP, EventKind.ANALYSIS,
      EventKind.ROLLOUT_PAUSED, EventKind.ROLLOUT_SUCCEEDED, EventKind.ROLLOUT_ROLLED_BACK, EventKind.ROLLOUT_ABORTED,
      EventKind.BUILD_STARTED, EventKind.BUILD_FINISHED, EventKind.INSTANCE_CRASHED, EventKind.CRASH_LOOP,
      EventKind.UNHEALTHY, EventKind.WARNING);
  private static final Set<String> END = Set.of(EventKind.ROLLOUT_SUCCEEDED, EventKind.ROLLOUT_ROLLED_BACK,
      EventKind.ROLLOUT_ABORTED, EventKind.SHUTDOWN);

  private RolloutProgress() {}

  static int follow(ControlPlaneClient client, String service, long after, PrintWriter out) {
    return follow(client, service, -1, after, out);
  }

  /**
   * @param deployment the deployment to follow (its events carry {@code details.deployment}), or -1
   *                   for whichever rollout of {@code service} ends first
   */
  static int follow(ControlPlaneClient client, String service, long deployment, long after, PrintWriter out) {
    Instant start = Instant.now();
    EventView last = client.events(after, e -> {
      if (!SHOWN.contains(e.kind()) || (e.subject() != null && !e.subject().equals(service)
          && !e.subject().startsWith(service + "-"))) {
        return;
      }
      double secs = Duration.between(start, Instant.now()).toMillis() / 1000.0;
      String mark = switch (e.kind()) {
        case EventKind.ROLLOUT_SUCCEEDED -> Style.ok("✓");
        case EventKind.ROLLOUT_ROLLED_BACK, EventKind.ROLLOUT_ABORTED, EventKind.CRASH_LOOP,
            EventKind.INSTANCE_CRASHED -> Style.error("✗");
        case EventKind.ANALYSIS -> Style.dim("≈");
        case EventKind.WARNING, EventKind.UNHEALTHY, EventKind.ROLLOUT_PAUSED -> Style.warn("!");
        default -> Style.dim("·");
      };
      out.println(Style.dim(String.format("%6.1fs ", secs)) + mark + " " + e.message());
      out.flush();
    }, e -> e.kind().equals(EventKind.SHUTDOWN) || (END.contains(e.kind()) && service.equals(e.subject())
        && (deployment < 0 || ours(e, deployment))));
    double secs = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    if (last == null || last.kind().equals(EventKind.SHUTDOWN)) {
      out.printf("deploy: %s — the control plane went away after %.1fs; `slipway up` resumes the rollout%n", service, secs);
      return 1;
    }
    boolean ok = last.kind().equals(EventKind.ROLLOUT_SUCCEEDED);
    Object seconds = last.details().get("rollbackSeconds");
    out.printf("deploy: %s %s after %.1fs%s%n", service, ok ? "succeeded" : last.kind().equals(EventKind.ROLLOUT_ABORTED)
        ? "aborted" : "rolled back", secs, seconds == null ? "" : String.format(" (traffic back on stable in %.2fs)",
            ((Number) seconds).doubleValue()));
    out.flush();
    return ok ? 0 : 1;
  }

  private static boolean ours(EventView e, long deployment) {
    Object id = e.details().get("deployment");
    return id instanceof Number n && n.longValue() == deployment;
  }

  static String weights(Map<String, Object> details) {
    Object w = details.get("weights");
    return w == null ? "" : " " + w;
  }
}
