package dev.slipway.engine.runtime;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The lines of a process's output that explain why it died, picked from the end of its log: the
 * last error of the last run — a Java exception with its {@code Caused by:} chain (the deepest cause
 * is usually the real one), a Python traceback, a Go panic, {@code FATAL} / {@code ERROR} lines —
 * with a little context (the frame where the deepest cause was thrown, the log line that announced
 * the failure), at most {@value #MAX_LINES} lines of at most {@value #MAX_WIDTH} characters. A log
 * that ends with {@code ... 31 common frames omitted} is thus explained by the PostgreSQL
 * {@code FATAL} above it, not by its last line.
 *
 * <p>Pure: give it lines already masked (see {@link SecretMasker}); it neither reads files nor masks.
 * Slipway's own header lines ({@code --- slipway: …}) are skipped, and only the output of the last
 * run (after the last {@code --- slipway: starting} line) is considered.
 *
 * @param cause one line for a sentence ("… keeps crashing (5 exits): {@code cause}"), or null when
 *              no error line was found
 * @param lines the explanation to show under that sentence; without an error line, the last lines
 *              the process printed; empty when it printed nothing
 */
public record CrashExplanation(String cause, List<String> lines) {
  /** How many lines of log to read for an explanation: enough for a framework's long stack trace. */
  public static final int TAIL_LINES = 400;
  static final int MAX_LINES = 12;
  static final int MAX_WIDTH = 300;
  /** Plain (unindented) lines that are no error allowed inside one failure (a multi-line message). */
  private static final int MAX_GAP = 3;
  private static final int FALLBACK_LINES = 8;
  private static final String OWN_PREFIX = "--- slipway:";

  private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*[A-Za-z]");
  /** {@code java.lang.IllegalStateException: msg}, {@code Exception in thread "main" x.YError}, {@code Error: msg}, {@code psycopg2.OperationalError: msg}. */
  private static final Pattern EXCEPTION = Pattern.compile(
      "^(Exception in thread \"[^\"]*\" )?([\\w$]+\\.)*[\\w$]*(Exception|Error|Throwable)(: .*)?$");
  private static final Pattern CAUSED_BY = Pattern.compile("^Caused by: .*");
  private static final Pattern TRACEBACK = Pattern.compile("^Traceback \\(most recent call last\\):");
  private static final Pattern PANIC = Pattern.compile("^(panic: |fatal error: |thread '.*' panicked at).*");
  private static final Pattern MARKER = Pattern.compile("\\b(FATAL|ERROR|SEVERE|CRITICAL|PANIC)\\b"
      + "|(?i:^\\s*(error|fatal)(\\[[^\\]]*])?:)|command not found|No such file or directory|Permission denied");
  private static final Pattern FRAME = Pattern.compile(
      "^\\s+(at |\\.\\.\\. \\d+ (more|common frames omitted)|File \".*\", line \\d+)|^\\s+/.*\\.go:\\d+.*");
  private static final Pattern JDK_FRAME = Pattern.compile("^\\s+at (java\\.|javax\\.|jdk\\.|sun\\.|com\\.sun\\.|java\\.base/).*");

  public CrashExplanation {
    lines = List.copyOf(lines);
  }

  /** Explains a crash from the end of a process's log (oldest line first), already masked. */
  public static CrashExplanation of(List<String> log) {
    List<String> run = lastRun(log);
    int end = run.size() - 1;
    while (end >= 0 && !isKey(run.get(end))) {
      end--;
    }
    if (end < 0) {
      List<String> last = run.stream().filter(l -> !l.isBlank()).toList();
      return new CrashExplanation(null, clip(last.subList(Math.max(0, last.size() - FALLBACK_LINES), last.size())));
    }
    int start = incidentStart(run, end);
    List<Integer> picked = pick(run, start, end);
    List<String> shown = new ArrayList<>();
    for (int i : picked) {
      shown.add(run.get(i));
    }
    return new CrashExplanation(width(cause(run, start, end)), bound(dedupe(shown)));
  }

  /** "the cause", or what the process printed last, or that it printed nothing: for one-line messages. */
  public String summary() {
    if (cause != null) {
      return cause;
    }
    return lines.isEmpty() ? "it printed nothing" : "its last output: " + lines.getLast().strip();
  }

  /** The output of the last run, without Slipway's own lines, colour codes or trailing blank lines. */
  private static List<String> lastRun(List<String> log) {
    int from = 0;
    for (int i = 0; i < log.size(); i++) {
      String l = log.get(i);
      if (l.startsWith(OWN_PREFIX + " starting") || l.startsWith(OWN_PREFIX + " adopted")) {
        from = i + 1;
      }
    }
    List<String> run = new ArrayList<>();
    for (String l : log.subList(from, log.size())) {
      if (!l.startsWith(OWN_PREFIX)) {
        run.add(ANSI.matcher(l).replaceAll("").stripTrailing());
      }
    }
    while (!run.isEmpty() && run.getLast().isBlank()) {
      run.removeLast();
    }
    return run;
  }

  /** Walks back from the last error line over frames, errors and short gaps to where the failure began. */
  private static int incidentStart(List<String> run, int end) {
    int start = end;
    int gap = 0;
    for (int i = end - 1; i >= 0; i--) {
      String l = run.get(i);
      if (isKey(l)) {
        start = i;
        gap = 0;
      } else if (!l.isBlank() && !Character.isWhitespace(l.charAt(0)) && ++gap > MAX_GAP) {
        // Indented lines are frames or a message's continuation; a few plain lines may be part of
        // the failure's message, more are the application's ordinary output before it.
        break;
      }
    }
    return start;
  }

  /** The error lines of the failure, plus where its deepest error was thrown. */
  private static List<Integer> pick(List<String> run, int start, int end) {
    Set<Integer> picked = new java.util.TreeSet<>();
    int deepest = -1;
    for (int i = start; i <= end; i++) {
      String l = run.get(i);
      if (!isKey(l)) {
        continue;
      }
      picked.add(i);
      if (CAUSED_BY.matcher(l).matches() || EXCEPTION.matcher(l).matches()) {
        deepest = i;
      }
      if (PANIC.matcher(l).matches()) {
        goroutine(run, i, picked);
      }
      if (EXCEPTION.matcher(l).matches() && i >= 2 && run.get(i - 2).stripLeading().startsWith("File \"")) {
        // A Python exception: the frame that raised it is the two lines above (file, then code).
        picked.add(i - 2);
        picked.add(i - 1);
      }
    }
    if (deepest >= 0) {
      frames(run, deepest, picked);
    }
    return new ArrayList<>(picked);
  }

  /** The first frame after {@code at}, and the first one outside the JDK when that is a different one. */
  private static void frames(List<String> run, int at, Set<Integer> picked) {
    boolean first = true;
    for (int i = at + 1; i < run.size() && i <= at + 60; i++) {
      String l = run.get(i);
      if (CAUSED_BY.matcher(l).matches() || (isKey(l) && !FRAME.matcher(l).find())) {
        return;
      }
      if (!l.matches("^\\s+at .*")) {
        continue;
      }
      if (first) {
        picked.add(i);
        first = false;
        if (!JDK_FRAME.matcher(l).matches()) {
          return;
        }
      } else if (!JDK_FRAME.matcher(l).matches()) {
        picked.add(i);
        return;
      }
    }
  }

  /** A Go panic: the lines up to the first function and its file, after the goroutine header. */
  private static void goroutine(List<String> run, int at, Set<Integer> picked) {
    int taken = 0;
    for (int i = at + 1; i < run.size() && taken < 4; i++) {
      String l = run.get(i);
      if (l.isBlank()) {
        continue;
      }
      picked.add(i);
      taken++;
      if (FRAME.matcher(l).find()) {
        return;
      }
    }
  }

  /** The deepest Java cause; else the exception, panic or error line the failure ended with. */
  private static String cause(List<String> run, int start, int end) {
    String exception = null;
    String other = null;
    for (int i = start; i <= end; i++) {
      String l = run.get(i);
      if (CAUSED_BY.matcher(l).matches()) {
        exception = l.substring("Caused by: ".length());
      } else if (EXCEPTION.matcher(l).matches() || PANIC.matcher(l).matches()) {
        exception = l.replaceFirst("^Exception in thread \"[^\"]*\" ", "");
      } else if (isKey(l)) {
        other = l.strip();
      }
    }
    return exception != null ? exception.strip() : other;
  }

  private static boolean isKey(String l) {
    if (l.isBlank() || l.startsWith(" ") || l.startsWith("\t")) {
      // Indented lines are frames or continuations; an error inside one is repeated by its exception line.
      return false;
    }
    return CAUSED_BY.matcher(l).matches() || EXCEPTION.matcher(l).matches() || TRACEBACK.matcher(l).find()
        || PANIC.matcher(l).matches() || MARKER.matcher(l).find();
  }

  private static List<String> dedupe(List<String> lines) {
    return new ArrayList<>(new LinkedHashSet<>(lines));
  }

  /** At most {@link #MAX_LINES}: the first (what failed) and the last ones (the deepest cause). */
  private static List<String> bound(List<String> lines) {
    if (lines.size() <= MAX_LINES) {
      return clip(lines);
    }
    List<String> out = new ArrayList<>();
    out.add(lines.getFirst());
    int keep = MAX_LINES - 2;
    out.add("\t… (" + (lines.size() - 1 - keep) + " more lines)");
    out.addAll(lines.subList(lines.size() - keep, lines.size()));
    return clip(out);
  }

  private static List<String> clip(List<String> lines) {
    return lines.stream().map(CrashExplanation::width).toList();
  }

  private static String width(String line) {
    return line == null || line.length() <= MAX_WIDTH ? line : line.substring(0, MAX_WIDTH - 1) + "…";
  }
}
