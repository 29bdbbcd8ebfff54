package dev.slipway.cli;

import java.util.List;

/**
 * A command failed in a way the user can act on. Printed as the message, the hint and the details,
 * never as a stack trace (unless {@code --stacktrace}).
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int exitCode;
  final String hint;
  final transient List<String> details;

  CliException(int exitCode, String message, String hint, List<String> details) {
    super(message);
    this.exitCode = exitCode;
    this.hint = hint;
    this.details = details == null ? List.of() : List.copyOf(details);
  }

  CliException(int exitCode, String message, String hint) {
    this(exitCode, message, hint, List.of());
  }

  CliException(int exitCode, String message, String hint, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.hint = hint;
    this.details = List.of();
  }
}
