package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds a generated Dockerfile without a Docker engine or a registry, as far as that can be done
 * honestly: the build stage really runs (its context filtered by the Dockerfile's ignore file, its
 * {@code RUN} commands executed on this machine's JDK and Maven), every {@code COPY --from} of the
 * final stage must find what the build stage made, and the final stage's files end up in a directory
 * whose {@code WORKDIR} the entry point can be run in. What it cannot do: pull the base images, run
 * the final stage's {@code RUN} (user creation) or apply ownership; it checks those lines instead.
 */
final class DockerfileSimulator {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A stage: where its filesystem root is, its working directory and environment. */
  private static final class Stage {
    final String name;
    final Path root;
    String workdir = "/";
    String user;
    final Map<String, String> env = new LinkedHashMap<>();
    List<String> entrypoint;
    final List<Integer> exposed = new ArrayList<>();

    Stage(String name, Path root) {
      this.name = name;
      this.root = root;
    }

    Path map(String containerPath) {
      String abs = containerPath.startsWith("/") ? containerPath : workdir + "/" + containerPath;
      return root.resolve(abs.replaceAll("^/+", ""));
    }
  }

  /** The final stage, built. */
  record Result(Path workdir, String user, List<String> entrypoint, List<Integer> exposed, List<String> finalRuns) {}

  private DockerfileSimulator() {}

  /** Builds {@code dockerfile} with {@code context} as the build context, in {@code scratch}. */
  static Result build(String dockerfile, String ignore, Path context, Path scratch) throws Exception {
    List<Stage> stages = new ArrayList<>();
    List<String> finalRuns = new ArrayList<>();
    for (String raw : dockerfile.lines().toList()) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String op = line.substring(0, line.indexOf(' '));
      String arg = line.substring(op.length() + 1).strip();
      if (op.equals("FROM")) {
        String[] w = arg.split("\\s+");
        assertThat(w[0]).as("base image").doesNotEndWith(":latest").contains(":");
        Stage s = new Stage(w.length == 3 ? w[2] : "final", Files.createDirectories(scratch.resolve("stage" + stages.size())));
        stages.add(s);
        continue;
      }
      Stage s = stages.getLast();
      switch (op) {
        case "WORKDIR" -> {
          s.workdir = arg;
          Files.createDirectories(s.map(arg));
        }
        case "ENV" -> s.env.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        case "USER" -> s.user = arg;
        case "EXPOSE" -> s.exposed.add(Integer.parseInt(arg));
        case "ENTRYPOINT" -> s.entrypoint = List.of(JSON.readValue(arg, String[].class));
        case "COPY" -> copy(s, stages, arg, ignore, context);
        case "RUN" -> {
          if (s.name.equals("final")) {
            finalRuns.add(arg);
          } else {
            run(s, stages, arg);
          }
        }
        default -> throw new AssertionError("instruction the simulator does not know: " + line);
      }
    }
    Stage last = stages.getLast();
    return new Result(last.map(last.workdir), last.user, last.entrypoint, last.exposed, finalRuns);
  }

  private static void copy(Stage s, List<Stage> stages, String arg, String ignore, Path context) throws IOException {
    List<String> words = new ArrayList<>(List.of(arg.split("\\s+")));
    Stage from = null;
    while (words.getFirst().startsWith("--")) {
      String flag = words.removeFirst();
      if (flag.startsWith("--from=")) {
        String name = flag.substring("--from=".length());
        from = stages.stream().filter(x -> x.name.equals(name)).findFirst().orElseThrow(() ->
            new AssertionError("COPY --from=" + name + ": no such stage"));
      } else {
        assertThat(flag).as("COPY flag").startsWith("--chown=");
      }
    }
    assertThat(words).as("COPY " + arg).hasSize(2);
    Path target = s.map(words.get(1));
    if (from == null) {
      copyTree(context, words.get(0), target, ignoreMatchers(ignore));
      return;
    }
    Path source = from.map(words.get(0));
    assertThat(source).as("COPY --from=%s %s: the build stage must have made it", from.name, words.get(0)).exists();
    copyTree(source, ".", words.get(1).endsWith("/") && Files.isDirectory(source) ? target : target, List.of());
  }

  /** Runs a build-stage command on this machine; container paths the stages use are mapped to theirs. */
  private static void run(Stage s, List<Stage> stages, String arg) throws Exception {
    String command = arg.replaceAll("^--mount=\\S+\\s+", "");
    for (String dir : List.of("/workspace", "/layers")) {
      command = command.replace(dir, s.map(dir).toString());
    }
    Files.createDirectories(s.map(s.workdir));
    BuildProcess.sh(s.map(s.workdir), command, 300);
  }

  private static void copyTree(Path from, String what, Path to, List<PathMatcher> ignored) throws IOException {
    Path src = from.resolve(what).normalize();
    if (Files.isRegularFile(src)) {
      Files.createDirectories(to.getParent());
      Files.copy(src, to);
      return;
    }
    try (Stream<Path> all = Files.walk(src)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path rel = src.relativize(p);
        if (!rel.toString().isEmpty() && ignored.stream().anyMatch(m -> m.matches(rel))) {
          continue;
        }
        if (rel.toString().isEmpty() || !ancestorsKept(rel, ignored)) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.createDirectories(dest.getParent());
          Files.copy(p, dest);
        }
      }
    }
  }

  private static boolean ancestorsKept(Path rel, List<PathMatcher> ignored) {
    for (Path p = rel.getParent(); p != null; p = p.getParent()) {
      Path q = p;
      if (ignored.stream().anyMatch(m -> m.matches(q))) {
        return false;
      }
    }
    return true;
  }

  /** .dockerignore patterns as globs; {@code **}/x also matches x at the top, as Docker does. */
  private static List<PathMatcher> ignoreMatchers(String ignore) {
    List<PathMatcher> out = new ArrayList<>();
    for (String line : ignore.lines().toList()) {
      String p = line.strip();
      if (p.isEmpty() || p.startsWith("#") || p.startsWith("!")) {
        continue;
      }
      out.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
      if (p.startsWith("**/")) {
        out.add(FileSystems.getDefault().getPathMatcher("glob:" + p.substring(3)));
      }
    }
    return out;
  }
}
