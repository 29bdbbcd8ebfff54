package dev.slipway.cli;

import java.util.Optional;

/** Who answers a yes/no question before something is destroyed: a person at a terminal, or nobody. */
@FunctionalInterface
interface Terminal {
  /**
   * Asks {@code question}.
   *
   * @return the answer (only {@code y} or {@code yes} is yes), or empty when nobody can answer: standard
   *         input is not a terminal (a CI job, a pipe)
   */
  Optional<Boolean> confirm(String question);

  /**
   * Reads a secret without echoing it ({@code slipway login}'s token).
   *
   * @return what was typed, or empty when standard input is not a terminal (then it is read as a pipe)
   */
  default Optional<char[]> secret(String prompt) {
    return Optional.empty();
  }

  /**
   * The process's terminal. The launcher says whether standard input is one ({@code SLIPWAY_STDIN_TTY},
   * from {@code [ -t 0 ]}): since JDK 22 {@code System.console()} is not null for a pipe either.
   */
  static Terminal system() {
    return new Terminal() {
      @Override
      public Optional<Boolean> confirm(String question) {
        java.io.Console console = console();
        if (console == null) {
          return Optional.empty();
        }
        String answer = console.readLine("%s [y/N] ", question);
        return Optional.of(answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).matches("y|yes"));
      }

      @Override
      public Optional<char[]> secret(String prompt) {
        java.io.Console console = console();
        return console == null ? Optional.empty() : Optional.ofNullable(console.readPassword("%s", prompt));
      }

      private java.io.Console console() {
        java.io.Console console = System.console();
        return console == null || !"1".equals(System.getenv("SLIPWAY_STDIN_TTY")) ? null : console;
      }
    };
  }
}
