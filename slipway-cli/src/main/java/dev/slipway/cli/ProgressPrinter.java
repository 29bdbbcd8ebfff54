package dev.slipway.cli;

import dev.slipway.api.EventKind;
import dev.slipway.api.EventView;
import dev.slipway.api.StatusView;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Prints control-plane events as progress lines. On a terminal it can also keep a live status
 * table under the lines, redrawn in place.
 */
final class ProgressPrinter {
  private final PrintWriter out;
  private final LogBlock logs = new LogBlock();
  /** Times are shown relative to the first event: the control plane's start. */
  private Instant origin;
  private int tableLines;
  private List<String> table = List.of();

  ProgressPrinter(PrintWriter out) {
    this.out = out;
  }

  synchronized void event(EventView e) {
    eraseTable();
    String symbol = switch (e.kind()) {
      case EventKind.RESOURCE_READY, EventKind.SERVICE_READY, EventKind.STACK_READY, EventKind.HEALTHY -> Style.ok("✓");
      case EventKind.UP_FAILED, EventKind.CRASH_LOOP, EventKind.INSTANCE_CRASHED -> Style.error("✗");
      case EventKind.WARNING, EventKind.UNHEALTHY -> Style.warn("!");
      case EventKind.STOPPED, EventKind.STOPPING, EventKind.SHUTDOWN -> Style.dim("■");
      default -> Style.dim("·");
    };
    Instant at = parse(e.time());
    if (origin == null) {
      origin = at;
    }
    long secs = java.time.Duration.between(origin, at).toMillis();
    out.println(Style.dim(String.format("%6.1fs ", secs / 1000.0)) + symbol + " " + e.message());
    Object hint = e.details().get("hint");
    if (hint instanceof String h && !h.isEmpty()) {
      out.println(LogBlock.INDENT + h);
    }
    if (e.kind().equals(EventKind.UP_FAILED)) {
      logs.printAlways(out, e.details().get("log"));
    } else {
      logs.print(out, e.details().get("log"));
    }
    drawTable();
    out.flush();
  }

  private static Instant parse(String time) {
    try {
      return Instant.parse(time);
    } catch (RuntimeException e) {
      return Instant.now();
    }
  }

  /** Replaces the live table under the progress lines (terminals only). */
  synchronized void table(Supplier<StatusView> status) {
    if (!Style.TTY) {
      return;
    }
    try {
      List<String> next = StatusTable.render(status.get());
      eraseTable();
      table = next;
      drawTable();
      out.flush();
    } catch (CliException e) {
      // The control plane is going away; the events say so.
    }
  }

  synchronized void clearTable() {
    eraseTable();
    table = List.of();
    out.flush();
  }

  private void eraseTable() {
    if (tableLines > 0) {
      out.print("\u001b[" + tableLines + "F\u001b[J");
      tableLines = 0;
    }
  }

  private void drawTable() {
    if (!table.isEmpty()) {
      out.println();
      table.forEach(out::println);
      tableLines = table.size() + 1;
    }
  }
}
