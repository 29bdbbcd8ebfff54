package dev.slipway.store;

/**
 * The one exception type of the state store: what failed, why, and what to do next.
 *
 * <p>The message is written for the person running Slipway and never holds a database password.
 */
public class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final String problem;
  private final String hint;

  /**
   * @param operation what the store was asked to do, e.g. {@code "start a deployment of api in prod"}
   * @param problem what went wrong, a sentence without a final period
   * @param hint what to do next, or null when there is nothing useful to say
   */
  public StoreException(String operation, String problem, String hint, Throwable cause) {
    super(hint == null ? problem : problem + "; " + hint, cause);
    this.operation = operation;
    this.problem = problem;
    this.hint = hint;
  }

  public StoreException(String operation, String problem, String hint) {
    this(operation, problem, hint, null);
  }

  /** What the store was asked to do when it failed. */
  public String operation() {
    return operation;
  }

  /** What went wrong, without the hint. */
  public String problem() {
    return problem;
  }

  /** What to do next; null when there is nothing useful to say. */
  public String hint() {
    return hint;
  }
}
