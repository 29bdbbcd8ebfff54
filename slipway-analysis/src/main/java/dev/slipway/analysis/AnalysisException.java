package dev.slipway.analysis;

/**
 * The one exception of the analysis module: a metric source could not be read or answered something
 * unusable. Structured so that callers can show it without parsing the message.
 */
public final class AnalysisException extends Exception {
  private final String source;
  private final String what;
  private final String hint;

  /**
   * @param source the id of the metric source ({@code router}, {@code prometheus})
   * @param what   what went wrong, one line, e.g. "cannot reach http://127.0.0.1:9901/metrics: connection refused"
   * @param hint   what to do next, e.g. "check that the router is running"
   */
  public AnalysisException(String source, String what, String hint) {
    this(source, what, hint, null);
  }

  public AnalysisException(String source, String what, String hint, Throwable cause) {
    super(source + ": " + what, cause);
    this.source = source;
    this.what = what;
    this.hint = hint;
  }

  public String source() {
    return source;
  }

  public String what() {
    return what;
  }

  public String hint() {
    return hint;
  }

  /** The message and the hint, the hint on its own indented line, as model errors are shown. */
  public String format() {
    return getMessage() + (hint == null || hint.isEmpty() ? "" : "\n    " + hint);
  }
}
