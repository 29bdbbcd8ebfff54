package dev.slipway.kubernetes;

/**
 * Everything that goes wrong on a cluster, said for a person: what is wrong, on which context and
 * namespace, and what to do about it. The CLI prints {@link #getMessage()} and {@link #fix()} and exits
 * with {@link #exitCode()}.
 */
public final class KubernetesException extends Exception {
  /** The model or the command asks for something that cannot be done as asked (exit 2). */
  public static final int BAD_INPUT = 2;
  /** The cluster refused or failed what was asked (exit 1). */
  public static final int FAILED = 1;
  /** Another runner holds the service's Lease (exit 3, as a second {@code slipway up}). */
  public static final int HELD = 3;

  private final String context;
  private final String namespace;
  private final String fix;
  private final int exitCode;

  public KubernetesException(String problem, String context, String namespace, String fix, int exitCode) {
    this(problem, context, namespace, fix, exitCode, null);
  }

  public KubernetesException(String problem, String context, String namespace, String fix, int exitCode,
      Throwable cause) {
    super(problem, cause);
    this.context = context;
    this.namespace = namespace;
    this.fix = fix;
    this.exitCode = exitCode;
  }

  /** The kubeconfig context the command worked on, or null before one was chosen. */
  public String context() {
    return context;
  }

  /** The namespace the command worked on, or null. */
  public String namespace() {
    return namespace;
  }

  /** What to do next, one or more lines; null when there is nothing to suggest. */
  public String fix() {
    return fix;
  }

  public int exitCode() {
    return exitCode;
  }
}
