package dev.slipway.generate;

/** The model cannot be expressed for a target; the message says what and how to fix the model. */
public final class GenerateException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String target;
  private final String modelPath;
  private final String hint;

  public GenerateException(String target, String modelPath, String message, String hint) {
    super(message);
    this.target = target;
    this.modelPath = modelPath;
    this.hint = hint;
  }

  public String target() {
    return target;
  }

  public String modelPath() {
    return modelPath;
  }

  public String hint() {
    return hint;
  }
}
