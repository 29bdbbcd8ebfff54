package dev.slipway.engine.runtime;

import java.util.List;

/**
 * Something a target could not do. Carries what failed, for whom, and the evidence (log tail).
 */
public class TargetException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String subject;
  private final String hint;
  private final transient List<String> details;

  /**
   * @param subject the service or resource concerned, or {@code null}
   * @param message what went wrong
   * @param hint    what the user can do about it, or {@code null}
   * @param details evidence such as the last log lines; may be empty
   */
  public TargetException(String subject, String message, String hint, List<String> details) {
    super(message);
    this.subject = subject;
    this.hint = hint;
    this.details = details == null ? List.of() : List.copyOf(details);
  }

  public TargetException(String subject, String message, String hint, Throwable cause) {
    super(message, cause);
    this.subject = subject;
    this.hint = hint;
    this.details = List.of();
  }

  public String subject() {
    return subject;
  }

  public String hint() {
    return hint;
  }

  public List<String> details() {
    return details;
  }
}
