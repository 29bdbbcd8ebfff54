package dev.slipway.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes-style quantities (CPU, memory) and error-rate limits. Values that need finer precision
 * than the base unit are rounded up, as Kubernetes does, so a limit is never silently lowered.
 */
final class Quantities {
  private static final Pattern CPU = Pattern.compile("(\\d+(?:\\.\\d+)?)(m?)");
  private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final String MEMORY_HINT =
      "write a number of bytes with Ki, Mi, Gi, Ti (powers of 1024) or K, M, G, T (powers of 1000), e.g. `512Mi`";

  private Quantities() {}

  /** CPU in millicores: {@code 500m} → 500, {@code 0.5} → 500, {@code 2} → 2000. */
  static Quantity cpu(String text) throws ValueException {
    String t = text.strip();
    Matcher m = t.length() <= 30 ? CPU.matcher(t) : null;
    if (m == null || !m.matches()) {
      throw new ValueException("expected a CPU amount, found `" + Scalars.abbreviate(t) + "`",
          "write cores (`0.5`, `2`) or millicores (`500m`)");
    }
    BigDecimal n = new BigDecimal(m.group(1));
    BigDecimal milli = m.group(2).isEmpty() ? n.multiply(BigDecimal.valueOf(1000)) : n;
    long value = whole(milli, t);
    if (value <= 0) {
      throw new ValueException("cpu must be more than 0, found `" + t + "`", "write e.g. `100m` or `1`");
    }
    return new Quantity(t, value);
  }

  /** Memory in bytes: {@code 512Mi}, {@code 1.5Gi}, {@code 500M}, {@code 1048576}. */
  static Quantity memory(String text) throws ValueException {
    String t = text.strip();
    Matcher m = t.length() <= 30 ? MEMORY.matcher(t) : null;
    if (m == null || !m.matches()) {
      throw new ValueException("expected a memory size, found `" + Scalars.abbreviate(t) + "`", memoryHint(t));
    }
    long unit = switch (m.group(2) == null ? "" : m.group(2)) {
      case "Ki" -> 1L << 10;
      case "Mi" -> 1L << 20;
      case "Gi" -> 1L << 30;
      case "Ti" -> 1L << 40;
      case "k", "K" -> 1_000L;
      case "M" -> 1_000_000L;
      case "G" -> 1_000_000_000L;
      case "T" -> 1_000_000_000_000L;
      default -> 1L;
    };
    long value = whole(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)), t);
    if (value <= 0) {
      throw new ValueException("memory must be more than 0, found `" + t + "`", "write e.g. `512Mi`");
    }
    return new Quantity(t, value);
  }

  /**
   * An error rate as a fraction 0..1: {@code 1%} → 0.01, {@code 0.01} → 0.01. A bare number above 1
   * is refused: {@code 5} might mean 5% or 500%, and guessing wrong silently disables the check.
   */
  static double rate(String text) throws ValueException {
    String t = text.strip();
    boolean percent = t.endsWith("%");
    String number = percent ? t.substring(0, t.length() - 1).strip() : t;
    if (number.length() > 30 || !NUMBER.matcher(number).matches()) {
      throw new ValueException("expected a rate, found `" + Scalars.abbreviate(t) + "`",
          "write a percentage (`1%`) or a fraction (`0.01`)");
    }
    BigDecimal n = new BigDecimal(number);
    if (percent) {
      if (n.compareTo(BigDecimal.valueOf(100)) > 0) {
        throw new ValueException("rate `" + t + "` is above 100%", "write a percentage from 0% to 100%");
      }
      return n.movePointLeft(2).doubleValue();
    }
    if (n.compareTo(BigDecimal.ONE) > 0) {
      throw new ValueException("rate `" + t + "` is ambiguous", "write " + number + "% or "
          + n.movePointLeft(2).stripTrailingZeros().toPlainString());
    }
    return n.doubleValue();
  }

  private static long whole(BigDecimal v, String text) throws ValueException {
    BigDecimal up = v.setScale(0, RoundingMode.CEILING);
    if (up.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new ValueException("`" + text + "` is too large", "write a smaller amount");
    }
    return up.longValue();
  }

  private static String memoryHint(String t) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]+)").matcher(t);
    if (m.matches()) {
      String unit = m.group(2);
      String n = m.group(1);
      if (unit.equals("m")) {
        return "`m` means thousandths of a byte; write `" + n + "Mi` (mebibytes) or `" + n + "M` (megabytes)";
      }
      if (unit.length() == 2 && "KMGT".indexOf(Character.toUpperCase(unit.charAt(0))) >= 0
          && Character.toUpperCase(unit.charAt(1)) == 'B') {
        char u = Character.toUpperCase(unit.charAt(0));
        return "write `" + n + u + "i` (powers of 1024) or `" + n + u + "` (powers of 1000)";
      }
    }
    return MEMORY_HINT;
  }
}
