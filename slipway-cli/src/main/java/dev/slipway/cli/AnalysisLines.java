package dev.slipway.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which analysis events a person watching a rollout needs to see. The engine judges every second, in
 * two windows at once during an analysis step ("analysis step over 3.2 s: …" and "background analysis
 * over 3.1 s: …"); printing all of them is two near-identical lines a second. Shown: a window's first
 * line, any line whose outcome differs from that window's last shown one, and otherwise one line per
 * window every {@link #EVERY_SECONDS} seconds; background lines only while no analysis step is being
 * shown, unless they fail.
 */
final class AnalysisLines {
  static final double EVERY_SECONDS = 5;
  private static final Pattern LINE = Pattern.compile("^(.*?)(?: over [^:]*)?: (\\w+)(?: —.*)?$", Pattern.DOTALL);
  private final Map<String, String> lastOutcome = new HashMap<>();
  private final Map<String, Double> lastShownAt = new HashMap<>();

  /** Whether to print {@code message}, an analysis event's text, seen {@code seconds} into the rollout. */
  boolean show(String message, double seconds) {
    Matcher m = LINE.matcher(message);
    if (!m.matches()) {
      return true;
    }
    String window = m.group(1);
    String outcome = m.group(2);
    boolean changed = !outcome.equals(lastOutcome.get(window));
    boolean due = seconds - lastShownAt.getOrDefault(window, Double.NEGATIVE_INFINITY) >= EVERY_SECONDS;
    boolean stepShown = window.startsWith("background")
        && seconds - lastShownAt.getOrDefault("analysis step", Double.NEGATIVE_INFINITY) < 2 * EVERY_SECONDS;
    boolean show = outcome.equals("fail") || (!stepShown && (changed || due));
    if (show) {
      lastOutcome.put(window, outcome);
      lastShownAt.put(window, seconds);
    }
    return show;
  }
}
