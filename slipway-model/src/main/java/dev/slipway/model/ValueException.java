package dev.slipway.model;

/**
 * A scalar that cannot be converted (a bad duration, quantity or rate). Carries the user-facing
 * message and hint; the binder adds the location, which the parsers do not know.
 */
final class ValueException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String hint;

  ValueException(String message, String hint) {
    super(message, null, false, false);
    this.hint = hint;
  }

  String hint() {
    return hint;
  }
}
