package dev.slipway.engine;

import java.util.List;

/**
 * The engine could not do what was asked. Carries the subject (service or resource), what went
 * wrong, what to do next, and evidence such as the last log lines.
 */
public final class EngineException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of refusal or failure it is, for callers that map it (HTTP status, exit code). */
  public enum Kind {
    /** The named service or release does not exist. */
    NOT_FOUND,
    /** The request conflicts with the current state (a rollout in progress, nothing to do). */
    CONFLICT,
    /** The request itself is wrong (an unknown strategy). */
    INVALID,
    /** It was tried and failed. */
    FAILED
  }

  private Kind kind = Kind.FAILED;
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

  /** Sets the kind; returns this, for {@code throw new EngineException(...).as(Kind.CONFLICT)}. */
  public EngineException as(Kind k) {
    this.kind = k;
    return this;
  }

  public Kind kind() {
    return kind;
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
