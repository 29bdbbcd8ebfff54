package dev.slipway.cli;

/** Terminal colours, only when stdout is a terminal and NO_COLOR is not set. */
final class Style {
  static final boolean TTY = "1".equals(System.getenv("SLIPWAY_TTY"));
  private static final boolean COLOR = TTY && System.getenv("NO_COLOR") == null;

  private Style() {}

  static String error(String s) {
    return wrap("1;31", s);
  }

  static String ok(String s) {
    return wrap("32", s);
  }

  static String warn(String s) {
    return wrap("33", s);
  }

  static String dim(String s) {
    return wrap("2", s);
  }

  static String bold(String s) {
    return wrap("1", s);
  }

  private static String wrap(String code, String s) {
    return COLOR ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
