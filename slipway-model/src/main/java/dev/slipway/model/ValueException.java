package dev.slipway.model;

/**
 * A scalar that cannot be converted (a bad duration, quantity or rate). Carries the user-facing
 * message and hint; the binder adds the location, which the parsers do not know.
 */
final class ValueException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String hint;
  private final ModelFix.Kind fixKind;
  private final String replacement;

  ValueException(String message, String hint) {
    this(message, hint, null, null);
  }

  /** A value the hint corrects to {@code replacement}, the whole scalar's new text. */
  ValueException(String message, String hint, ModelFix.Kind fixKind, String replacement) {
    super(message, null, false, false);
    this.hint = hint;
    this.fixKind = fixKind;
    this.replacement = replacement;
  }

  String hint() {
    return hint;
  }

  ModelFix.Kind fixKind() {
    return fixKind;
  }

  /** The corrected text of the whole value, or {@code null} when the hint is advice only. */
  String replacement() {
    return replacement;
  }
}
