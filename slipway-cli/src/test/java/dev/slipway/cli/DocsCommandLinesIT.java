package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code slipway} command line shown in README.md, docs/*.md and the examples' READMEs is run
 * for real (DocsCommandLinesTest only parses them), as its own process, in a directory laid out like the repository (the shop at its root and
 * at {@code examples/shop}, one and the same). A line fails when the CLI rejects it: exit 2 (bad usage
 * or model), a picocli parse message, or an unexpected error. Exit 1 is an outcome a line may have
 * (a rollback, drift found, nothing to promote) and is accepted.
 *
 * <p>The other examples are copied beside the shop under {@code examples/}; the lines of their READMEs
 * that need a running stack are left to their own ITs (here they are only parsed). Lines on a
 * kubernetes environment ({@link DocCommandLines.Kind#CLUSTER}) are KubernetesCliIT's; lines for the team
 * server ({@link DocCommandLines.Kind#TEAM}) need one, with users, and are left to the team ITs.
 *
 * <p>Order: lines that need no stack; {@code demo}; {@code up} (run with {@code --detach}: a foreground
 * {@code up} runs until Ctrl-C); then, under steady load on the api so canary analysis has traffic,
 * every other stack line in document order; {@code down} last. {@code --follow} lines run 5 s and are
 * stopped. The shop's canary pauses are shortened to 3 s in the copy; nothing else is changed.
 * {@link DocCommandLines} says how placeholders and optional parts are typed.
 */
class DocsCommandLinesIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static Path root;
  private static LoadGenerator load;

  @AfterAll
  static void stopEverything() throws Exception {
    if (load != null) {
      load.close();
    }
    if (root != null) {
      run(List.of("down", "--volumes"), 180);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyDocumentedCommandLine_isAccepted() throws Exception {
    List<DocCommandLines.Line> lines = DocCommandLines.read(REPO);
    assertThat(lines).as("command lines found in the docs").hasSizeGreaterThan(30);
    root = CliTestSupport.copyExample("slipway-docs-it");
    Files.createDirectories(root.resolve("examples"));
    Files.createSymbolicLink(root.resolve("examples/shop"), root);
    List<String> others = new ArrayList<>();
    try (Stream<Path> examples = Files.list(REPO.resolve("examples"))) {
      for (Path e : examples.filter(Files::isDirectory).toList()) {
        String name = e.getFileName().toString();
        if (!name.equals("shop")) {
          Path copy = CliTestSupport.copyExample(name, "slipway-docs-" + name);
          Files.move(copy, root.resolve("examples").resolve(name));
          others.add(name);
        }
      }
    }
    Path model = root.resolve("slipway.yaml");
    Files.writeString(model, Files.readString(model).replaceAll("pause: \\d+s", "pause: 3s"));

    List<DynamicTest> tests = new ArrayList<>();
    List<DocCommandLines.Line> stack = new ArrayList<>();
    List<DocCommandLines.Line> ups = new ArrayList<>();
    List<DocCommandLines.Line> downs = new ArrayList<>();
    List<DocCommandLines.Line> demos = new ArrayList<>();
    for (DocCommandLines.Line l : lines) {
      // Another example's stack lines are SpringOrdersIT's (and the like) to run; here only parsed.
      boolean otherStack = DocCommandLines.STACK_COMMANDS.contains(l.command())
          && others.stream().anyMatch(o -> l.file().startsWith(Path.of("examples", o)));
      if (l.kind() != DocCommandLines.Kind.RUN || otherStack) {
        continue;
      }
      switch (l.command()) {
        case "demo" -> demos.add(l);
        case "up" -> ups.add(l);
        case "down" -> downs.add(l);
        default -> {
          if (DocCommandLines.STACK_COMMANDS.contains(l.command())) {
            stack.add(l);
          } else {
            tests.add(DynamicTest.dynamicTest("run " + l.where(), () -> accepted(l, l.args(), 300)));
          }
        }
      }
    }
    for (DocCommandLines.Line l : demos) {
      tests.add(DynamicTest.dynamicTest("run " + l.where(), () -> {
        Run r = accepted(l, l.args(), 600);
        assertThat(r.code()).as(r.describe(l)).isZero();
        assertThat(r.output()).as(r.describe(l)).containsPattern("demo: requests=\\d+ failed=0 ");
      }));
    }
    for (DocCommandLines.Line l : ups) {
      List<String> args = new ArrayList<>(l.args());
      if (!args.contains("--detach")) {
        args.add("--detach");
      }
      tests.add(DynamicTest.dynamicTest("run " + l.where(), () -> {
        Run r = accepted(l, args, 600);
        // the first `up` starts the stack; a later one finds it running ("already up")
        assertThat(r.code()).as(r.describe(l)).isZero();
        startLoad();
      }));
    }
    for (DocCommandLines.Line l : stack) {
      tests.add(DynamicTest.dynamicTest("run " + l.where(),
          () -> accepted(l, l.args(), l.args().contains("--follow") ? 5 : 240)));
    }
    for (DocCommandLines.Line l : downs) {
      tests.add(DynamicTest.dynamicTest("run " + l.where(), () -> {
        if (load != null) {
          load.close();
        }
        accepted(l, l.args(), 180);
      }));
    }
    return tests.stream();
  }

  private static Run accepted(DocCommandLines.Line l, List<String> args, int seconds) throws Exception {
    long t0 = System.nanoTime();
    Run r = run(args, seconds);
    // one line per command in the test's output file, for whoever reads a CI failure
    System.out.printf("exit %s in %.1fs: %s%n", r.timedOut() ? "-" : r.code(), (System.nanoTime() - t0) / 1e9, l.where());
    assertThat(r.code()).as(r.describe(l)).isNotEqualTo(2);
    assertThat(r.output()).as(r.describe(l)).doesNotContain("Unknown option").doesNotContain("Unmatched argument")
        .doesNotContain("Missing required").doesNotContain("error: unexpected").doesNotContain("\tat ");
    if (r.timedOut() && !args.contains("--follow")) {
      throw new AssertionError("still running after " + seconds + " s\n" + r.describe(l));
    }
    return r;
  }

  private static void startLoad() throws Exception {
    if (load != null) {
      return;
    }
    Run status = run(List.of("status", "--json"), 60);
    JsonNode services = CliTestSupport.JSON.readTree(status.output().substring(status.output().indexOf('{')))
        .get("services");
    for (JsonNode s : services) {
      if (s.get("name").asText().equals("api")) {
        load = new LoadGenerator(URI.create(s.get("url").asText() + "/version"), 100, 8);
        load.start();
      }
    }
    assertThat(load).as("the api in " + status.output()).isNotNull();
    // Canary analysis needs this traffic: make sure it flows before any deploy line runs.
    Thread.sleep(3000);
    assertThat(load.requests.sum() - load.failed.sum()).as("requests answered in 3 s; failures: " + load.failures)
        .isGreaterThan(100);
  }

  /** Runs {@code slipway ARGS} as its own process in the repository-like directory. */
  private static Run run(List<String> args, int seconds) throws Exception {
    Path log = Files.createTempFile(root, "cmd", ".log");
    // The launcher's start-up flags, but for its CDS archive (the test class path holds directories,
    // which CDS refuses at exit with status 1): ~40 short-lived CLI processes.
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(Map.of("SLIPWAY_HOME", root.toString()));
    pb.environment().remove("SLIPWAY_FILE");
    Process p = pb.start();
    boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!ended) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
    String output = Files.readString(log);
    Files.delete(log);
    return new Run(args, ended ? p.exitValue() : -1, !ended, output);
  }

  private record Run(List<String> args, int code, boolean timedOut, String output) {
    String describe(DocCommandLines.Line l) throws IOException {
      return l.where() + "\n  ran: slipway " + String.join(" ", args) + "\n  exit " + code
          + (timedOut ? " (stopped)" : "") + "\n" + output.indent(4);
    }
  }
}
