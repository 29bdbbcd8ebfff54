package dev.slipway.model;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the model: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, combinations
 * such as {@code 1m30s} and decimals such as {@code 1.5s}. A unit is mandatory: a bare {@code 30} is
 * ambiguous (seconds? milliseconds?) and is rejected rather than guessed.
 *
 * <p>{@link #human} is the one way durations are written for people (messages, events, progress
 * lines), whichever module writes them: {@code 850 ms}, {@code 4.2 s}, {@code 2 min 5 s}, {@code 1 h 5 min}.
 */
public final class Durations {
  /** Longer than any sensible timeout; also keeps the arithmetic far from overflow. */
  static final Duration MAX = Duration.ofDays(366);

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

  private Durations() {}

  /**
   * A duration as Slipway writes it for people: {@code 850 ms}, {@code 30 s}, {@code 4.2 s},
   * {@code 2 min}, {@code 2 min 5 s}, {@code 1 h}, {@code 1 h 5 min}. Below a minute it keeps a tenth
   * of a second; above, it drops what is smaller than the unit after the largest.
   */
  public static String human(Duration d) {
    if (d.isNegative()) {
      return "-" + human(d.negated());
    }
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 59_950) {
      String s = String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0);
      return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " s";
    }
    long secs = Math.max(60, d.toSeconds());
    if (secs < 3600) {
      return secs / 60 + " min" + (secs % 60 == 0 ? "" : " " + secs % 60 + " s");
    }
    long mins = secs / 60;
    return mins / 60 + " h" + (mins % 60 == 0 ? "" : " " + mins % 60 + " min");
  }

  /**
   * Parses a duration typed on a command line.
   *
   * @throws IllegalArgumentException naming what is wrong and how to write it
   */
  public static Duration parseArgument(String text) {
    try {
      return parse(text);
    } catch (ValueException e) {
      throw new IllegalArgumentException(e.getMessage() + "; " + e.hint());
    }
  }

  static Duration parse(String text) throws ValueException {
    String t = text.strip();
    if (t.length() > 40) {
      throw new ValueException("duration `" + Scalars.abbreviate(t) + "` is too long",
          "write it like `500ms`, `30s`, `5m`, `1h` or `1m30s`");
    }
    if (NUMBER.matcher(t).matches()) {
      throw new ValueException("duration `" + t + "` has no unit", "add a unit, e.g. `" + t + "s`",
          ModelFix.Kind.DURATION_UNIT, t + "s");
    }
    if (!WHOLE.matcher(t).matches()) {
      throw new ValueException("expected a duration, found `" + t + "`",
          "write it like `500ms`, `30s`, `5m`, `1h` or `1m30s`");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(t);
    while (m.find()) {
      long unit = switch (m.group(2)) {
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
    }
    if (nanos.compareTo(BigDecimal.valueOf(MAX.toNanos())) > 0) {
      throw new ValueException("duration `" + t + "` is too long", "use at most 366 days (`8784h`)");
    }
    return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
  }
}
