package dev.slipway.cli;

import dev.slipway.api.team.ApprovalView;
import dev.slipway.api.team.ConfigChangeView;
import dev.slipway.api.team.GateView;
import dev.slipway.api.team.PromotionItem;
import dev.slipway.api.team.PromotionView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** How the team server's answers read on a terminal: promotions with what they change and which gates hold. */
final class TeamText {
  private TeamText() {}

  /** An instant to the second, in UTC: the same on every team member's screen. */
  static String time(Instant at) {
    return at == null ? "-" : at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A promotion in full: services, configuration changes, gates, approvals, outcome. */
  static List<String> promotion(PromotionView p, boolean dryRun) {
    List<String> lines = new ArrayList<>();
    lines.add(dryRun ? "Promotion " + p.from() + " → " + p.to() + " would change:"
        : "promotion " + p.id() + " " + p.from() + " → " + p.to() + ": " + state(p.state()) + " (requested by "
            + p.requestedBy() + " at " + time(p.requestedAt()) + ")");
    lines.addAll(items(p));
    lines.addAll(changes(p.changes()));
    lines.add("  gates:");
    if (p.gates() == null || p.gates().isEmpty()) {
      lines.add("    (none)");
    } else {
      int w = p.gates().stream().mapToInt(g -> g.name().length()).max().orElse(0);
      for (GateView g : p.gates()) {
        lines.add("    " + (g.holds() ? Style.ok("✓") : Style.error("✗")) + " " + String.format("%-" + w + "s", g.name())
            + "  " + g.text());
      }
    }
    if (p.approvals() != null && !p.approvals().isEmpty()) {
      lines.add("  approvals:");
      for (ApprovalView a : p.approvals()) {
        lines.add("    " + a.user() + " " + a.decision() + " at " + time(a.at())
            + (a.comment() == null || a.comment().isBlank() ? "" : ": " + a.comment()));
      }
    }
    if (p.runIds() != null && !p.runIds().isEmpty()) {
      lines.add("  runs: " + p.runIds().stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }
    if (!dryRun && p.outcome() != null && !p.outcome().isBlank()) {
      lines.add("  " + (p.terminal() ? "outcome" : "waiting for") + ": " + p.outcome());
    }
    return lines;
  }

  private static List<String> items(PromotionView p) {
    List<String> lines = new ArrayList<>();
    lines.add("  services:");
    if (p.items() == null || p.items().isEmpty()) {
      lines.add("    (none)");
      return lines;
    }
    List<String[]> rows = new ArrayList<>();
    for (PromotionItem i : p.items()) {
      rows.add(new String[] {"    " + i.service(), i.fromRelease() + " " + i.image(),
          i.targetRelease() == null ? "(new in " + p.to() + ")"
              : "(" + p.to() + " runs " + i.targetRelease() + " " + RunCommands.dash(i.targetImage()) + ")"});
    }
    lines.addAll(plain(rows));
    return lines;
  }

  private static List<String> changes(List<ConfigChangeView> changes) {
    List<String> lines = new ArrayList<>();
    lines.add("  configuration:");
    if (changes == null || changes.isEmpty()) {
      lines.add("    (no changes)");
      return lines;
    }
    List<String[]> rows = new ArrayList<>();
    for (ConfigChangeView c : changes) {
      String value = switch (c.change()) {
        case "added" -> "= " + c.after();
        case "removed" -> "(was " + c.before() + ")";
        default -> c.before() + " → " + c.after();
      };
      rows.add(new String[] {"    " + c.service(), c.key(), c.change(), value});
    }
    lines.addAll(plain(rows));
    return lines;
  }

  /** One line per promotion. */
  static List<String> promotions(List<PromotionView> promotions) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "FROM", "TO", "STATE", "SERVICES", "BY", "REQUESTED", "OUTCOME"});
    for (PromotionView p : promotions) {
      String services = p.items() == null ? "-" : p.items().stream().map(PromotionItem::service)
          .collect(Collectors.joining(","));
      rows.add(new String[] {Long.toString(p.id()), p.from(), p.to(), p.state(), services.isEmpty() ? "-" : services,
          RunCommands.dash(p.requestedBy()), time(p.requestedAt()), RunCommands.dash(p.outcome())});
    }
    return StatusTable.columns(rows);
  }

  /** The gates that do not hold, in one line: what a promotion waits for. */
  static String missing(PromotionView p) {
    return p.gates() == null ? "" : p.gates().stream().filter(g -> !g.holds()).map(GateView::text)
        .collect(Collectors.joining("; "));
  }

  private static String state(String state) {
    return switch (state) {
      case "succeeded" -> Style.ok(state);
      case "failed", "rejected", "cancelled" -> Style.error(state);
      default -> Style.warn(state);
    };
  }

  /** Columns without a header row. */
  private static List<String> plain(List<String[]> rows) {
    List<String[]> withHeader = new ArrayList<>();
    withHeader.add(new String[rows.get(0).length]);
    java.util.Arrays.fill(withHeader.get(0), "");
    withHeader.addAll(rows);
    List<String> lines = StatusTable.columns(withHeader);
    return lines.subList(1, lines.size());
  }
}
