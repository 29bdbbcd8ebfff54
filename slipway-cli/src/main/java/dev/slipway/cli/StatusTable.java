package dev.slipway.cli;

import dev.slipway.api.StatusView;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@link StatusView} as aligned text columns. */
final class StatusTable {
  private StatusTable() {}

  static List<String> render(StatusView s) {
    List<String> lines = new ArrayList<>();
    lines.add(Style.bold(s.app()) + (s.environment() == null ? " " : " (" + s.environment() + ") ")
        + colourState(s.state())
        + (s.controlPlane() == null ? "" : Style.dim("   control plane " + s.controlPlane().pid() + " "
            + s.controlPlane().url())));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SERVICE", "STATE", "HEALTHY", "URL", "VERSION", "RESTARTS", "TRAFFIC"});
    for (StatusView.ServiceView svc : s.services()) {
      rows.add(new String[] {svc.name(), svc.state(), svc.healthy() ? "yes" : "no",
          svc.url() == null ? "-" : svc.url(), version(svc), Integer.toString(svc.restarts()), traffic(svc)});
    }
    lines.addAll(columns(rows));
    for (StatusView.ServiceView svc : s.services()) {
      if (svc.rollout() != null) {
        var d = svc.rollout();
        lines.add(Style.warn("rollout") + " " + svc.name() + " #" + d.id() + " " + (d.from() == null ? "" : d.from() + " → ")
            + d.to() + " " + d.strategy() + ", " + DeploymentText.state(d) + ", step " + (d.step() + 1) + "/" + d.steps().size()
            + (d.step() < d.steps().size() ? ": " + d.steps().get(d.step()) : "")
            + (d.reason() == null ? "" : " — " + d.reason())
            + (d.warmUntil() == null ? "" : " — " + DeploymentText.release(d.to(), d.toVersion()) + " is live; "
                + DeploymentText.release(d.from(), d.fromVersion()) + " stays warm until "
                + RolloutProgress.clock(d.warmUntil()) + ": `slipway rollback " + svc.name()
                + "` switches back at once"));
      } else if (svc.lastRollout() != null) {
        var d = svc.lastRollout();
        String why = d.reason() == null ? "" : " — " + d.reason();
        lines.add(Style.dim("last rollout") + " " + svc.name() + " #" + d.id() + " " + (d.from() == null ? ""
            : d.from() + " → ") + d.to() + " " + d.strategy() + ": " + colourOutcome(d.state()) + why);
      }
      for (StatusView.InstanceView i : svc.instances()) {
        if (("restarting".equals(i.state()) || "crash-loop".equals(i.state())) && i.crash() != null) {
          lines.add(Style.error(i.id()) + " " + i.state() + ": " + i.detail());
          i.crash().forEach(l -> lines.add(Style.dim(LogBlock.INDENT + "| ") + l));
        }
      }
    }
    if (!s.resources().isEmpty()) {
      List<String[]> res = new ArrayList<>();
      res.add(new String[] {"RESOURCE", "STATE", "HEALTHY", "ADDRESS", "TYPE", "PROVIDER"});
      for (StatusView.ResourceView r : s.resources()) {
        res.add(new String[] {r.name(), r.state(), r.healthy() ? "yes" : "no",
            r.host() == null ? "-" : r.host() + ":" + r.port(), r.type(), r.provider()});
      }
      lines.addAll(columns(res));
    }
    return lines;
  }

  /** The version that serves; during a blue-green warm window also the previous one, kept warm. */
  private static String version(StatusView.ServiceView svc) {
    String v = svc.version() == null ? "-" : svc.version();
    var d = svc.rollout();
    return d == null || d.warmUntil() == null || d.fromVersion() == null ? v : v + " (" + d.fromVersion() + " warm)";
  }

  private static String traffic(StatusView.ServiceView svc) {
    if (svc.weights() == null || svc.weights().isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder();
    svc.weights().forEach((release, w) -> sb.append(sb.isEmpty() ? "" : " ").append(release).append(' ').append(w).append('%'));
    return sb.toString();
  }

  private static String colourOutcome(String state) {
    return "succeeded".equals(state) ? Style.ok(state) : Style.error(state);
  }

  private static String colourState(String state) {
    return switch (state) {
      case "ready" -> Style.ok(state);
      case "failed", "crash-loop" -> Style.error(state);
      default -> Style.warn(state);
    };
  }

  static List<String> columns(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (int row = 0; row < rows.size(); row++) {
      StringBuilder sb = new StringBuilder();
      String[] r = rows.get(row);
      for (int i = 0; i < r.length; i++) {
        String cell = i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]);
        sb.append(row == 0 ? Style.dim(cell) : cell);
      }
      out.add(sb.toString().stripTrailing());
    }
    return out;
  }
}
