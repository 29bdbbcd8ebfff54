package dev.slipway.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints the log lines an event carries (a crash's explanation, a failed start's last lines)
 * indented under it. Every exit of a crash loop carries the same explanation: a block equal to the
 * one printed last is not printed again.
 */
final class LogBlock {
  static final String INDENT = "          ";
  private List<?> last = List.of();

  void print(PrintWriter out, Object lines) {
    if (!(lines instanceof List<?> block) || block.equals(last)) {
      return;
    }
    printAlways(out, block);
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
