package dev.slipway.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * A service's {@code run} command, read the way {@code sh} would for the simple cases that matter to
 * image builds: {@code java [options] -jar FILE [args]}.
 *
 * @param words   the command split into words (quotes removed), or empty when it needs a shell
 *                (variables, pipes, redirections, several commands, globs)
 * @param javaAt  index of the {@code java} word, or -1
 * @param jarAt   index of the word after {@code -jar}, or -1
 */
record RunCommand(String text, List<String> words, int javaAt, int jarAt) {

  /**
   * A service's {@code run} as a container would run it: {@code ${self.port}} is the container port;
   * other model references stay as written (image builds refuse them: only Slipway resolves them).
   */
  static String text(dev.slipway.model.ServiceSpec service) {
    String run = service.run();
    if (run == null || !run.contains("${")) {
      return run;
    }
    try {
      return dev.slipway.model.Template.parse(run).render(ref -> ref.kind() == dev.slipway.model.Reference.Kind.SELF
          ? Integer.toString(ClusterEndpoints.port(service)) : ref.toString());
    } catch (dev.slipway.model.Template.TemplateSyntaxException e) {
      return run;
    }
  }

  static RunCommand parse(dev.slipway.model.ServiceSpec service) {
    return parse(text(service));
  }

  static RunCommand parse(String run) {
    List<String> words = split(run == null ? "" : run.strip());
    int java = -1;
    int jar = -1;
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (java < 0 && (w.equals("java") || w.endsWith("/java"))) {
        java = i;
      } else if (java >= 0 && w.equals("-jar") && i + 1 < words.size()) {
        jar = i + 1;
        break;
      }
    }
    // `exec java …` is the same process; anything else before java (env assignments, nohup) is not ours to copy.
    boolean plain = java == 0 || (java == 1 && words.get(0).equals("exec"));
    return new RunCommand(run, words, plain ? java : -1, plain ? jar : -1);
  }

  /** Whether it runs {@code java -jar FILE} directly. */
  boolean javaJar() {
    return jarAt > 0;
  }

  /** The jar (or war) it runs, relative to the model's directory, or null. */
  String jar() {
    return jarAt > 0 ? words.get(jarAt) : null;
  }

  /** The words from {@code java} on, as an exec-form ENTRYPOINT would hold them. */
  List<String> fromJava() {
    return javaAt < 0 ? List.of() : words.subList(javaAt, words.size());
  }

  /** Splits on blanks, honouring single and double quotes; empty when any shell feature is used. */
  private static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (quote == '"' && (c == '$' || c == '`' || c == '\\')) {
          return List.of();
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else if ("$`\\|&;<>()*?[]{}~#".indexOf(c) >= 0) {
        return List.of();
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      return List.of();
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }
}
