package dev.slipway.model;

/**
 * One problem in a model file.
 *
 * @param location where (file, line, column)
 * @param path     the model path, e.g. {@code services.api.strategy.canary.steps[2]}; empty for the root
 * @param message  what is wrong
 * @param hint     how to fix it ("did you mean `health`?"), or {@code null}
 * @param fix      the edit the hint describes, when it describes exactly one; otherwise {@code null}
 */
public record ModelError(SourceLocation location, String path, String message, String hint, ModelFix fix) {

  /** An error whose hint is advice, not one concrete edit. */
  public ModelError(SourceLocation location, String path, String message, String hint) {
    this(location, path, message, hint, null);
  }

  /** This error with {@code note} added to its message, e.g. the environment it appeared in. */
  ModelError withNote(String note) {
    return new ModelError(location, path, message + note, hint, fix);
  }

  /** {@code file:line:col: path: message} and, on the next line, the hint. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(location).append(": ");
    if (path != null && !path.isEmpty()) {
      sb.append(path).append(": ");
    }
    sb.append(message);
    if (hint != null && !hint.isEmpty()) {
      sb.append("\n    ").append(hint);
    }
    return sb.toString();
  }
}
