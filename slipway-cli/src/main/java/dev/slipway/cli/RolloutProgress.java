package dev.slipway.cli;

import dev.slipway.api.EventKind;
import dev.slipway.api.DeploymentView;
import dev.slipway.api.EventView;
import dev.slipway.api.HistoryView;
import dev.slipway.model.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows a rollout's events: step, weights, analysis values next to their limits, elapsed time; ends
 * with a one-line verdict. Returns 0 when the new release went live, 1 otherwise. A blue-green
 * release is live once it takes all traffic and the previous one is kept warm: following ends there,
 * saying until when and how to switch back, unless asked to follow the warm window too.
 */
final class RolloutProgress {
  private static final Set<String> SHOWN = Set.of(EventKind.ROLLOUT_STARTED, EventKind.ROLLOUT_STEP, EventKind.ANALYSIS,
      EventKind.ROLLOUT_PAUSED, EventKind.ROLLOUT_SUCCEEDED, EventKind.ROLLOUT_ROLLED_BACK, EventKind.ROLLOUT_ABORTED,
      EventKind.BUILD_STARTED, EventKind.BUILD_FINISHED, EventKind.INSTANCE_CRASHED, EventKind.CRASH_LOOP,
      EventKind.UNHEALTHY, EventKind.WARNING, EventKind.ROLLOUT_FAILED);
  private static final Set<String> END = Set.of(EventKind.ROLLOUT_SUCCEEDED, EventKind.ROLLOUT_ROLLED_BACK,
      EventKind.ROLLOUT_ABORTED, EventKind.ROLLOUT_FAILED, EventKind.SHUTDOWN);
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "rolled-back", "aborted");

  private RolloutProgress() {}

  /**
   * Follows the event stream until the rollout ends. The stream is the fast path; every few seconds
   * the deployment's recorded state is read too, so that a rollout that ended is noticed even if its
   * last event never arrives.
   *
   * @param deployment the deployment to follow (its events carry {@code details.deployment})
   * @param timeout    give up waiting after this long (the rollout goes on), or null to wait for the end
   * @param warmToo    follow a blue-green rollout through its rollback window to its very end
   */
  static int follow(ControlPlaneClient client, String service, long deployment, long after, PrintWriter out,
      Duration timeout, boolean warmToo) {
    Instant start = Instant.now();
    LogBlock logs = new LogBlock();
    AnalysisLines analysis = new AnalysisLines();
    CompletableFuture<EventView> stream = new CompletableFuture<>();
    Thread.ofVirtual().name("follow-" + service).start(() -> {
      try {
        stream.complete(client.events(after, e -> show(e, service, start, out, logs, analysis),
            e -> e.kind().equals(EventKind.SHUTDOWN) || (service.equals(e.subject()) && ours(e, deployment)
            && (END.contains(e.kind()) || (!warmToo && warm(e))))));
      } catch (RuntimeException e) {
        stream.completeExceptionally(e);
      }
    });
    Instant endedAt = null;
    DeploymentView ended = null;
    while (true) {
      try {
        EventView last = stream.get(2, TimeUnit.SECONDS);
        return verdict(service, last, start, out);
      } catch (TimeoutException notYet) {
        // Check the recorded state below.
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new CliException(1, e.getCause().toString(), null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(1, "interrupted", null);
      }
      if (ended == null) {
        ended = recorded(client, service, deployment, warmToo);
        endedAt = ended == null ? null : Instant.now();
      }
      if (ended != null && Duration.between(endedAt, Instant.now()).toSeconds() >= 3) {
        // It ended but its last event did not reach us (it is in `slipway history`).
        return verdict(service, ended, start, out);
      }
      if (timeout != null && Duration.between(start, Instant.now()).compareTo(timeout) > 0) {
        out.printf("deploy: %s still in progress after %s (--timeout); it goes on: follow it with `slipway status`%n",
            service, Durations.human(timeout));
        out.flush();
        return 1;
      }
    }
  }

  private static void show(EventView e, String service, Instant start, PrintWriter out, LogBlock logs,
      AnalysisLines analysis) {
    if (!SHOWN.contains(e.kind()) || (e.subject() != null && !e.subject().equals(service)
        && !e.subject().startsWith(service + "-"))) {
      return;
    }
    double secs = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    if (e.kind().equals(EventKind.ANALYSIS) && !analysis.show(e.message(), secs)) {
      return;
    }
    String mark = switch (e.kind()) {
      case EventKind.ROLLOUT_SUCCEEDED -> Style.ok("✓");
      case EventKind.ROLLOUT_ROLLED_BACK, EventKind.ROLLOUT_ABORTED, EventKind.ROLLOUT_FAILED, EventKind.CRASH_LOOP,
          EventKind.INSTANCE_CRASHED -> Style.error("✗");
      case EventKind.ANALYSIS -> Style.dim("≈");
      case EventKind.WARNING, EventKind.UNHEALTHY, EventKind.ROLLOUT_PAUSED -> Style.warn("!");
      default -> Style.dim("·");
    };
    out.println(Style.dim(String.format("%6.1fs ", secs)) + mark + " " + e.message());
    // A crash's explanation, once; the end of a rollout repeats it only if it was not shown yet.
    logs.print(out, e.details().get("log"));
    if (e.details().get("measurements") instanceof Map<?, ?> m) {
      logs.print(out, m.get("crash") instanceof Map<?, ?> crash ? crash.get("log") : m.get("log"));
    }
    out.flush();
  }

  /**
   * The deployment as recorded, if it has ended (or, unless {@code warmToo}, keeps the previous release
   * warm); null while it runs (or if it cannot be read now).
   */
  private static DeploymentView recorded(ControlPlaneClient client, String service, long deployment,
      boolean warmToo) {
    try {
      HistoryView h = client.get(ReleaseCommands.path(service, "history"), HistoryView.class);
      return h.deployments().stream().filter(d -> d.id() == deployment && (TERMINAL.contains(d.state())
          || (!warmToo && d.warmUntil() != null))).findFirst().orElse(null);
    } catch (CliException e) {
      return null;
    }
  }

  private static int verdict(String service, EventView last, Instant start, PrintWriter out) {
    String secs = Durations.human(Duration.between(start, Instant.now()));
    if (last == null || last.kind().equals(EventKind.SHUTDOWN)) {
      out.printf("deploy: %s — the control plane went away after %s; `slipway up` resumes the rollout%n", service, secs);
      out.flush();
      return 1;
    }
    if (warm(last)) {
      Map<String, Object> d = last.details();
      return live(out, service, secs, DeploymentText.release(d.get("live"), d.get("liveVersion")),
          DeploymentText.release(d.get("warm"), d.get("warmVersion")), d.get("warmUntil"));
    }
    boolean ok = last.kind().equals(EventKind.ROLLOUT_SUCCEEDED);
    Object seconds = last.details().get("rollbackSeconds");
    // The deployment's state, word for word as `history`, `status` and the API show it.
    String what = last.details().get("state") instanceof String state ? state : switch (last.kind()) {
      case EventKind.ROLLOUT_SUCCEEDED -> "succeeded";
      case EventKind.ROLLOUT_ABORTED -> "aborted";
      case EventKind.ROLLOUT_FAILED -> "failed";
      default -> "rolled-back";
    };
    out.printf("deploy: %s %s after %s%s%n", service, what, secs, seconds == null ? "" : " (traffic back on stable in "
        + Durations.human(Duration.ofMillis(Math.round(((Number) seconds).doubleValue() * 1000))) + ")");
    out.flush();
    return ok ? 0 : 1;
  }

  private static int verdict(String service, DeploymentView d, Instant start, PrintWriter out) {
    String secs = Durations.human(Duration.between(start, Instant.now()));
    if (!TERMINAL.contains(d.state())) {
      return live(out, service, secs, DeploymentText.release(d.to(), d.toVersion()),
          DeploymentText.release(d.from(), d.fromVersion()), d.warmUntil());
    }
    out.printf("deploy: %s %s after %s%s%n", service, d.state(), secs, d.reason() == null ? "" : ": " + d.reason());
    out.flush();
    return d.state().equals("succeeded") ? 0 : 1;
  }

  /** The verdict of a blue-green release that went live: until when the previous one stays warm, how to go back. */
  private static int live(PrintWriter out, String service, String secs, String live, String warm, Object until) {
    out.printf("deploy: %s is live after %s: %s takes all traffic; %s stays warm until %s — `slipway rollback %s`"
        + " switches back at once (`deploy --wait-warm` waits for the end of the window)%n", service, secs, live, warm,
        clock(until), service);
    out.flush();
    return 0;
  }

  /** The step that keeps the previous release warm has begun: the new one is live. */
  private static boolean warm(EventView e) {
    return e.kind().equals(EventKind.ROLLOUT_STEP) && e.details().get("warmUntil") instanceof String;
  }

  /** An instant as a local wall-clock time, e.g. {@code 12:34:56}. */
  static String clock(Object iso) {
    try {
      return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault())
          .format(Instant.parse(String.valueOf(iso)));
    } catch (java.time.format.DateTimeParseException e) {
      return String.valueOf(iso);
    }
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
