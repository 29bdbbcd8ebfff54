package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;

/**
 * What a release's pods say about it, for {@link RolloutWatch}: ready (the Ready condition, not being
 * deleted), why not, and a crash loop ({@code CrashLoopBackOff}, or {@link #CRASH_RESTARTS} restarts).
 */
final class PodHealth {
  /** Restarts after which a container is crash looping, even before the kubelet says CrashLoopBackOff. */
  static final int CRASH_RESTARTS = 3;

  private PodHealth() {}

  static boolean ready(Pod p) {
    if (p.getMetadata().getDeletionTimestamp() != null || p.getStatus() == null || p.getStatus().getConditions() == null) {
      return false;
    }
    return p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Why a pod is not ready, from its Ready condition or its containers' waiting states. */
  static String notReadyBecause(Pod p) {
    if (p.getStatus() != null) {
      for (ContainerStatus cs : statuses(p)) {
        if (cs.getState() != null && cs.getState().getWaiting() != null && cs.getState().getWaiting().getReason() != null) {
          String m = cs.getState().getWaiting().getMessage();
          return cs.getState().getWaiting().getReason() + (m == null ? "" : " (" + m + ")");
        }
      }
      for (PodCondition c : p.getStatus().getConditions() == null ? List.<PodCondition>of() : p.getStatus().getConditions()) {
        if ("Ready".equals(c.getType()) && !"True".equals(c.getStatus())) {
          return c.getMessage() != null ? c.getMessage() : c.getReason() != null ? c.getReason() : "not ready";
        }
      }
    }
    return "not ready (phase " + (p.getStatus() == null ? "unknown" : p.getStatus().getPhase()) + ")";
  }

  /** A crash loop in {@code p}, said for people, or null. */
  static String crashLoop(Pod p) {
    for (ContainerStatus cs : statuses(p)) {
      boolean backOff = cs.getState() != null && cs.getState().getWaiting() != null
          && "CrashLoopBackOff".equals(cs.getState().getWaiting().getReason());
      int restarts = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
      if (backOff || restarts >= CRASH_RESTARTS) {
        String last = "";
        if (cs.getLastState() != null && cs.getLastState().getTerminated() != null) {
          var t = cs.getLastState().getTerminated();
          last = ", last exit " + (t.getExitCode() == null ? 0 : t.getExitCode()) + (t.getReason() == null ? "" : " (" + t.getReason() + ")");
        }
        return "crash loop: pod " + p.getMetadata().getName() + (restarts == 0 ? " in CrashLoopBackOff"
            : " restarted " + restarts + " time" + (restarts == 1 ? "" : "s")) + last;
      }
    }
    return null;
  }

  private static List<ContainerStatus> statuses(Pod p) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return List.of();
    }
    return p.getStatus().getContainerStatuses();
  }
}
