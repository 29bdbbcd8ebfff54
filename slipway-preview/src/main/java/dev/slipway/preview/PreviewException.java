package dev.slipway.preview;

/**
 * Everything that goes wrong with a preview, said for a person: what is wrong and what to do next.
 * The CLI prints {@link #getMessage()} and {@link #fix()} and exits with {@link #exitCode()}; the team
 * server maps {@link #exitCode()} to an HTTP status.
 */
public final class PreviewException extends Exception {
  /** Bad input: a name that is not a DNS label, an unknown environment, a bad TTL (exit 2). */
  public static final int BAD_INPUT = 2;
  /** Starting, stopping or recording a preview failed (exit 1). */
  public static final int FAILED = 1;
  /** Refused as things are: the quota is reached, the name is taken (exit 3). */
  public static final int REFUSED = 3;
  /** No preview of that name (exit 4). */
  public static final int NOT_FOUND = 4;

  private final String fix;
  private final int exitCode;

  public PreviewException(String problem, String fix, int exitCode) {
    this(problem, fix, exitCode, null);
  }

  public PreviewException(String problem, String fix, int exitCode, Throwable cause) {
    super(problem, cause);
    this.fix = fix;
    this.exitCode = exitCode;
  }

  /** What to do next; null when there is nothing to suggest. */
  public String fix() {
    return fix;
  }

  public int exitCode() {
    return exitCode;
  }
}
