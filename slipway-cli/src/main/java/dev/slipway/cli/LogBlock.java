package dev.slipway.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints the log lines an event carries (a crash's explanation, a failed start's last lines)
 * indented under it. Every exit of a crash loop carries the same explanation: a block equal to the
 * one printed last (but for its numbers: timestamps, pids) is not printed again.
 */
final class LogBlock {
  static final String INDENT = "          ";
  private List<?> last = List.of();

  void print(PrintWriter out, Object lines) {
    if (!(lines instanceof List<?> block) || block.isEmpty()) {
      return;
    }
    if (shape(block).equals(shape(last))) {
      // the next exit of a crash loop: the same lines but for timestamps, pids and durations
      out.println(Style.dim(INDENT + "| (the same lines as above)"));
      last = block;
      return;
    }
    printAlways(out, block);
  }

  /** The lines with every run of digits made alike. */
  private static List<String> shape(List<?> block) {
    return block.stream().map(l -> String.valueOf(l).replaceAll("\\d+", "#")).toList();
  }

  /** Prints {@code lines} even if they were just printed: a final failure carries all its evidence. */
  void printAlways(PrintWriter out, Object lines) {
    if (!(lines instanceof List<?> block) || block.isEmpty()) {
      return;
    }
    last = block;
    for (Object line : block) {
      out.println(Style.dim(INDENT + "| ") + line);
    }
  }
}
