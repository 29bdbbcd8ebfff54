package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers for CLI tests. */
final class CliTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();

  private CliTestSupport() {}

  /** Runs the CLI in this JVM, capturing its output. */
  static Result cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = Main.execute(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** What a CLI run printed and returned. */
  record Result(int code, String out, String err) {
    String output() {
      return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  /** A fresh copy of examples/shop (sources only, no build output, no state) in a temp directory. */
  static Path copyExample(String prefix) throws IOException {
    return copyExample("shop", prefix);
  }

  /** A fresh copy of examples/{@code name} (sources only, no build output, no state) in a temp directory. */
  static Path copyExample(String name, String prefix) throws IOException {
    Path example = Path.of("..", "examples", name).toAbsolutePath().normalize();
    Path work = Files.createTempDirectory(prefix);
    try (java.util.stream.Stream<Path> files = Files.walk(example)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = example.relativize(p);
        if (rel.toString().contains("target") || rel.startsWith(".slipway")) {
          continue;
        }
        Path to = work.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return work;
  }

  /** Every regular file under {@code dir}, by relative path, with its text. */
  static java.util.Map<String, String> files(Path dir) throws IOException {
    java.util.Map<String, String> files = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(p).toString(), Files.readString(p));
      }
    }
    return files;
  }

  /** Starts the CLI as its own process (as the launcher would), output to {@code log}. */
  static Process cliProcess(Path log, String... args) throws IOException {
    return cliProcess(log, java.util.Map.of(), args);
  }

  /** Starts the CLI as its own process with extra environment variables. */
  static Process cliProcess(Path log, java.util.Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Copies a test fixture directory from the class path into a new temp directory. */
  static Path copyFixture(String resourceDir, String prefix) throws Exception {
    Path from = Path.of(CliTestSupport.class.getResource("/" + resourceDir).toURI());
    Path work = Files.createTempDirectory(prefix);
    try (java.util.stream.Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = work.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return work;
  }

  /** Compiles {@code source} (a single-file Java program) into {@code classes}. */
  static void compile(Path source, Path classes) throws IOException {
    Files.createDirectories(classes);
    int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
        source.toString());
    if (rc != 0) {
      throw new IOException("javac failed for " + source);
    }
  }

  /**
   * A copy of fixture {@code resourceDir} with the test app every stack fixture runs, Hello.java (kept
   * once, in rollout/), compiled into classes/.
   */
  static Path helloFixture(String resourceDir, String prefix) throws Exception {
    Path work = copyFixture(resourceDir, prefix);
    Path hello = work.resolve("Hello.java");
    if (!Files.exists(hello)) {
      Files.copy(Path.of(CliTestSupport.class.getResource("/rollout/Hello.java").toURI()), hello);
    }
    compile(hello, work.resolve("classes"));
    return work;
  }

  /** Runs {@code up --detach} on the model in {@code work}, failing with its output unless the stack starts. */
  static ControlPlaneClient upDetached(Path work) {
    Result up = cli("up", "-f", work.resolve("slipway.yaml").toString(), "--detach");
    assertThat(up.code()).as(up.output()).isZero();
    return ControlPlaneClient.find(work.resolve(".slipway")).orElseThrow();
  }

  /** The pid of the control plane running for the model in {@code dir}, from its info file. */
  static long controlPlanePid(Path dir) throws IOException {
    return JSON.readTree(dir.resolve(".slipway/run/control-plane.json").toFile()).get("pid").asLong();
  }

  static void kill(String signal, long pid) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
  }

  /** Live processes whose process group is one of {@code pgids}, as "pid: cmdline". */
  static List<String> processesInGroups(java.util.Collection<Long> pgids) throws IOException {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path dir : dirs) {
        try {
          String stat = Files.readString(dir.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (pgids.contains(Long.parseLong(f[2])) && !f[0].equals("Z")) {
            found.add(dir.getFileName() + ": " + Files.readString(dir.resolve("cmdline")).replace('\0', ' '));
          }
        } catch (IOException gone) {
          // The process exited while we looked.
        }
      }
    }
    return found;
  }

  /** Command lines of live processes that mention {@code text}, except this JVM. */
  static List<String> processesMentioning(String text) throws IOException {
    List<String> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path dir : dirs) {
        if (Long.parseLong(dir.getFileName().toString()) == self) {
          continue;
        }
        try {
          String cmdline = Files.readString(dir.resolve("cmdline")).replace('\0', ' ');
          if (cmdline.contains(text)) {
            found.add(dir.getFileName() + ": " + cmdline);
          }
        } catch (IOException gone) {
          // The process exited while we looked.
        }
      }
    }
    return found;
  }
}
