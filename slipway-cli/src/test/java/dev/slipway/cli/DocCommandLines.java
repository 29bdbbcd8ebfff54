package dev.slipway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code slipway} command lines the documentation shows, made runnable. Read from fenced code
 * blocks (lines starting {@code slipway} or {@code ./slipway}, after an optional {@code $ }) and from
 * inline code spans. A line is turned into arguments the way a reader would type it:
 * <ul>
 *   <li>a trailing {@code # comment} is dropped;</li>
 *   <li>an optional part {@code [--json]} is typed; of alternatives {@code a|b} the first; a
 *       repetition mark {@code ...} inside brackets is dropped;</li>
 *   <li>placeholders in capitals get a value that fits the example ({@link #PLACEHOLDERS}; {@code ENV}
 *       is the running environment for commands on the stack, {@code production} otherwise; {@code E},
 *       the kubernetes pages' environment, is the shop's {@code staging}).</li>
 * </ul>
 * A line with an ellipsis outside brackets ({@code slipway generate all ... -o DIR}) is elided: it
 * can only be checked for its command and option names. An inline span of command words alone
 * ({@code `slipway history`}) is a mention of a command, checked to name one. A stack command on one of
 * the shop's kubernetes environments ({@code slipway status --env staging}, or any line with
 * {@code --kubeconfig} / {@code --context}) needs a cluster: parsed like any other, run by
 * {@code KubernetesCliIT} against a mock API server rather than by {@code DocsCommandLinesIT}.
 */
final class DocCommandLines {
  private static final Pattern INLINE = Pattern.compile("`((?:\\./)?slipway(?: [^`]*)?)`");
  private static final Pattern BLOCK = Pattern.compile("^(?:\\$ )?((?:\\./)?slipway(?:\\s.*)?)$");
  /** Commands that act on a running stack; their ENV is the stack's. */
  static final List<String> STACK_COMMANDS = List.of("up", "status", "logs", "down", "deploy", "promote", "abort",
      "rollback", "history", "demo");
  static final Map<String, String> PLACEHOLDERS = Map.ofEntries(
      Map.entry("SERVICE", "api"), Map.entry("TARGET", "all"), Map.entry("DIR", "out/"), Map.entry("FILE", "slipway.yaml"),
      Map.entry("RELEASE", "api-r1"), Map.entry("KEY=VALUE", "DOCS_NOTE=from-the-docs"), Map.entry("DURATION", "5m"),
      Map.entry("R", "api-r1"), Map.entry("TAG", "v2"), Map.entry("E", "staging"),
      // the team server's lines
      Map.entry("ID", "1"), Map.entry("NAME", "alice"), Map.entry("ROLE", "deployer"),
      Map.entry("URL", "http://127.0.0.1:7070"));
  /**
   * The commands that talk to the team server ({@code slipway server}, docs/promotion.md), and
   * {@code promote --to}: their lines need a running server, so they are TEAM lines.
   */
  static final List<String> TEAM_COMMANDS = List.of("server", "user", "users", "login", "logout", "whoami", "promotions",
      "approve", "reject", "freeze", "unfreeze", "runs", "audit");
  /** The environments of examples/shop whose target is kubernetes (DocsCommandLinesTest checks the model says so). */
  static final List<String> CLUSTER_ENVIRONMENTS = List.of("staging", "production");

  private DocCommandLines() {}

  /**
   * How a line is checked: all are parsed; RUN lines run on a local stack, CLUSTER lines on a (mock)
   * cluster, TEAM lines against a team server (not by DocsCommandLinesIT, which starts none).
   */
  enum Kind { RUN, CLUSTER, TEAM, ELIDED, MENTION }

  /** One command line of the docs. */
  record Line(Path file, int number, String text, Kind kind, List<String> args) {
    String where() {
      return file + ":" + number + ": " + text;
    }

    String command() {
      return args.isEmpty() ? "" : args.get(0);
    }
  }

  /** Every slipway command line in {@code README.md}, {@code docs/*.md} and the examples' READMEs under {@code root}. */
  static List<Line> read(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    try (Stream<Path> examples = Files.list(root.resolve("examples"))) {
      examples.map(e -> e.resolve("README.md")).filter(Files::exists).sorted().forEach(files::add);
    }
    List<Line> lines = new ArrayList<>();
    for (Path f : files) {
      List<String> text = Files.readAllLines(f);
      boolean block = false;
      for (int i = 0; i < text.size(); i++) {
        String l = text.get(i);
        if (l.strip().startsWith("```")) {
          block = !block;
          continue;
        }
        if (block) {
          Matcher m = BLOCK.matcher(l.strip());
          if (m.matches()) {
            lines.add(line(root.relativize(f), i + 1, withoutComment(m.group(1)), false));
          }
        } else {
          Matcher m = INLINE.matcher(l);
          while (m.find()) {
            lines.add(line(root.relativize(f), i + 1, m.group(1), true));
          }
        }
      }
    }
    return lines;
  }

  /**
   * The command lines Slipway itself prints in hints and messages: each {@code `slipway …`} that stands
   * whole inside one string literal of {@code slipway-*}{@code /src/main/java}, read like inline code.
   */
  static List<Line> readSources(Path root) throws IOException {
    Pattern literal = Pattern.compile("`((?:\\./)?slipway [^`\"]*)`");
    List<Line> lines = new ArrayList<>();
    List<Path> sources;
    try (Stream<Path> all = Files.walk(root)) {
      sources = all.map(root::relativize).filter(p -> p.toString().endsWith(".java")
          && p.getName(0).toString().startsWith("slipway-") && p.toString().contains("/src/main/java/"))
          .map(root::resolve).sorted().toList();
    }
    for (Path f : sources) {
      List<String> text = Files.readAllLines(f);
      for (int i = 0; i < text.size(); i++) {
        Matcher m = literal.matcher(text.get(i));
        while (m.find()) {
          lines.add(line(root.relativize(f), i + 1, m.group(1), true));
        }
      }
    }
    return lines;
  }

  static Line line(Path file, int number, String text, boolean inline) {
    List<String> tokens = tokens(text);
    tokens.remove(0); // slipway
    boolean elided = tokens.stream().anyMatch(t -> t.equals("...") || t.contains("…"));
    List<String> args = new ArrayList<>();
    String command = tokens.stream().filter(t -> !t.startsWith("-")).findFirst().orElse("");
    String env = STACK_COMMANDS.contains(command) ? "dev" : "production";
    for (String t : expandOptional(tokens)) {
      if (t.equals("...") || t.contains("…")) {
        continue;
      }
      args.add(t.equals("ENV") ? env : PLACEHOLDERS.getOrDefault(t, t));
    }
    Kind kind = elided ? Kind.ELIDED
        : inline && args.stream().allMatch(a -> a.matches("[a-z-]+")) && args.size() <= 2 && !args.isEmpty()
            && isCommandWords(args) ? Kind.MENTION : onTeamServer(command, args) ? Kind.TEAM
            : onCluster(command, args) ? Kind.CLUSTER : Kind.RUN;
    return new Line(file, number, text, kind, List.copyOf(args));
  }

  /**
   * A command of the team server's, environment promotion ({@code promote --to}), or a release command
   * with what only a team server records ({@code --reason}, {@code --override-freeze}).
   */
  private static boolean onTeamServer(String command, List<String> args) {
    return TEAM_COMMANDS.contains(command) || command.equals("promote") && args.contains("--to")
        || args.contains("--reason") || args.contains("--override-freeze");
  }

  /** A stack command on a kubernetes environment, or any line that says how to reach a cluster. */
  private static boolean onCluster(String command, List<String> args) {
    if (args.stream().anyMatch(a -> a.equals("--kubeconfig") || a.equals("--context") || a.startsWith("--kubeconfig=")
        || a.startsWith("--context="))) {
      return true;
    }
    int env = args.indexOf("--env");
    return STACK_COMMANDS.contains(command) && !command.equals("up") && !command.equals("demo") && env >= 0
        && env + 1 < args.size() && CLUSTER_ENVIRONMENTS.contains(args.get(env + 1));
  }

  /** {@code slipway history}, {@code slipway generate helm}: command words only, no options or values. */
  private static boolean isCommandWords(List<String> args) {
    return args.size() == 1 || args.get(0).equals("generate");
  }

  /** Types every optional part: {@code [--to api-r1]} → {@code --to api-r1}; {@code [a|b]} → {@code a}. */
  private static List<String> expandOptional(List<String> tokens) {
    List<String> out = new ArrayList<>();
    for (String t : tokens) {
      String s = t;
      if (s.startsWith("[")) {
        s = s.substring(1);
      }
      if (s.endsWith("]")) {
        s = s.substring(0, s.length() - 1);
      }
      if (s.equals("...") || s.isEmpty()) {
        continue;
      }
      if (!t.equals(s) || s.contains("|")) {
        s = s.split("\\|")[0];
      }
      out.add(s);
    }
    return out;
  }

  private static String withoutComment(String line) {
    int hash = line.indexOf(" #");
    return (hash < 0 ? line : line.substring(0, hash)).strip();
  }

  /** Splits like a shell: whitespace separates, quotes group. */
  static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        any = true;
      } else if (Character.isWhitespace(c)) {
        if (any || !cur.isEmpty()) {
          out.add(cur.toString());
        }
        cur.setLength(0);
        any = false;
      } else {
        cur.append(c);
      }
    }
    if (any || !cur.isEmpty()) {
      out.add(cur.toString());
    }
    if (!out.isEmpty()) {
      out.set(0, out.get(0).replace("./", ""));
    }
    return out;
  }
}
