package dev.slipway.local;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a model's {@code run} command is handed to {@code sh -c}. A simple command ({@code java -jar
 * api.jar}) is prefixed with {@code exec}, so the program itself leads the process group: it gets
 * signals directly and its pid is the one status shows. Anything with shell syntax runs as written.
 */
final class ShellCommand {
  private static final Pattern SHELL_SYNTAX = Pattern.compile("[;&|<>()`\\n{}]|\\$\\(");
  private static final Pattern FIRST_WORD = Pattern.compile("^\\s*([^\\s]+)");
  private static final Set<String> KEYWORDS = Set.of("if", "for", "while", "until", "case", "cd", "export",
      "exec", "set", "source", ".", "!", "eval", "trap", "ulimit", "umask", "unset", "readonly", "wait",
      "exit", "return", ":", "shift", "break", "continue", "command", "alias", "read", "getopts", "hash", "type");

  private ShellCommand() {}

  static String forSh(String command) {
    if (SHELL_SYNTAX.matcher(command).find()) {
      return command;
    }
    var m = FIRST_WORD.matcher(command);
    if (!m.find()) {
      return command;
    }
    String first = m.group(1);
    if (first.contains("=") || KEYWORDS.contains(first)) {
      return command;
    }
    return "exec " + command.stripLeading();
  }
}
