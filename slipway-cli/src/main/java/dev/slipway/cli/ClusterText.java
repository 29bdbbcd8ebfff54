package dev.slipway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slipway.kubernetes.ClusterRelease;
import dev.slipway.kubernetes.ClusterStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A cluster's status and a service's releases, as text columns like the local ones, or as JSON. */
final class ClusterText {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneId.systemDefault());

  private ClusterText() {}

  /** The header names where the answer came from; one row per service; then what is in progress or interrupted. */
  static List<String> status(String app, String environment, ClusterStatus s) {
    List<String> lines = new ArrayList<>();
    lines.add(Style.bold(app) + " (" + environment + ") " + Style.dim("context " + dash(s.context()) + " · namespace "
        + s.namespace() + " · " + dash(s.server())));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SERVICE", "RELEASE", "IMAGE", "READY", "ROLLOUT", "TRAFFIC", "LEASE"});
    for (ClusterStatus.Service svc : s.services()) {
      rows.add(new String[] {svc.name(), dash(svc.release()), dash(svc.image()), svc.ready() + "/" + svc.desired(),
          svc.rollout() == null ? "-" : svc.rollout() + (svc.phase() == null ? "" : " " + svc.phase()),
          dash(svc.traffic()), dash(svc.holder())});
    }
    lines.addAll(StatusTable.columns(rows));
    for (ClusterStatus.Service svc : s.services()) {
      if (svc.rollout() != null && svc.holder() == null && "holding".equals(svc.phase())) {
        // A blue-green that went live and whose runner returned: the previous release waits, warm.
        lines.add(Style.warn("warm") + " " + svc.name() + " " + svc.rollout() + " is live, the previous release kept warm:"
            + " `slipway rollback " + svc.name() + " --env " + environment + "` switches back at once, `slipway deploy "
            + svc.name() + " --env " + environment + " --resume` retires it");
      } else if (svc.rollout() != null && svc.holder() == null) {
        // Nobody holds the Lease: the runner that started it is gone (a killed CI job).
        lines.add(Style.warn("interrupted") + " " + svc.name() + " " + svc.rollout() + (svc.phase() == null ? ""
            : " at " + svc.phase()) + ": `slipway deploy " + svc.name() + " --env " + environment + " --resume` continues it, `slipway abort "
            + svc.name() + " --env " + environment + "` returns to " + dash(svc.release()));
      }
    }
    return lines;
  }

  /** Newest first, as the records are kept; measurements on a line below their release. */
  static List<String> history(List<ClusterRelease> releases) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"RELEASE", "IMAGE", "STRATEGY", "STATE", "STARTED", "BY", "REASON"});
    for (ClusterRelease r : releases) {
      rows.add(new String[] {r.id(), dash(r.image()), dash(r.strategy()), state(r), r.started() == null ? "-"
          : WHEN.format(r.started()), dash(r.by()), dash(r.reason())});
    }
    List<String> lines = new ArrayList<>(StatusTable.columns(rows));
    for (ClusterRelease r : releases) {
      if (r.measurements() != null && !r.measurements().isEmpty()) {
        StringBuilder sb = new StringBuilder();
        r.measurements().forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        lines.add(Style.dim(r.id() + " measured: " + sb));
      }
    }
    return lines;
  }

  /** A release in progress shows its phase: {@code in-progress (shifting)}. */
  private static String state(ClusterRelease r) {
    String state = dash(r.state());
    return "in-progress".equals(r.state()) && r.phase() != null ? state + " (" + phase(r).toLowerCase(java.util.Locale.ROOT)
        .replace('_', '-') + ")" : state;
  }

  /** The phase's name, as text: the CLI shows the store's phases but does not use the store (ArchitectureTest). */
  private static String phase(ClusterRelease r) {
    return java.util.Objects.toString(r.phase(), null);
  }

  /** The records as JSON, instants as ISO-8601 text (as the API writes them). */
  static List<Map<String, Object>> historyJson(List<ClusterRelease> releases) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ClusterRelease r : releases) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("service", r.service());
      m.put("release", r.id());
      m.put("revision", r.revision());
      m.put("image", r.image());
      m.put("configDigest", r.configDigest());
      m.put("strategy", r.strategy());
      m.put("phase", phase(r));
      m.put("state", r.state());
      m.put("reason", r.reason());
      m.put("step", r.step());
      m.put("measurements", r.measurements() == null ? Map.of() : r.measurements());
      m.put("started", text(r.started()));
      m.put("finished", text(r.finished()));
      m.put("by", r.by());
      out.add(m);
    }
    return out;
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
