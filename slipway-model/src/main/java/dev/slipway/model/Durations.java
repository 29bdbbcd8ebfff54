package dev.slipway.model;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the model: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, combinations
 * such as {@code 1m30s} and decimals such as {@code 1.5s}. A unit is mandatory: a bare {@code 30} is
 * ambiguous (seconds? milliseconds?) and is rejected rather than guessed.
 */
public final class Durations {
  /** Longer than any sensible timeout; also keeps the arithmetic far from overflow. */
  static final Duration MAX = Duration.ofDays(366);

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

  private Durations() {}

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
