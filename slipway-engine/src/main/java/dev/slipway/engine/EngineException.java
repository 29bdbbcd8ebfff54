package dev.slipway.engine;

import java.util.List;

/**
 * The engine could not do what was asked. Carries the subject (service or resource), what went
 * wrong, what to do next, and evidence such as the last log lines.
 */
public final class EngineException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String subject;
  private final String hint;
  private final transient List<String> details;

  public EngineException(String subject, String message, String hint, List<String> details) {
    super(message);
    this.subject = subject;
    this.hint = hint;
    this.details = details == null ? List.of() : List.copyOf(details);
  }

  public EngineException(String subject, String message, String hint, List<String> details, Throwable cause) {
    super(message, cause);
    this.subject = subject;
    this.hint = hint;
    this.details = details == null ? List.of() : List.copyOf(details);
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
