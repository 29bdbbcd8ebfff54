package dev.slipway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slipway.api.team.PreviewRequest;
import dev.slipway.api.team.PreviewView;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.preview.PreviewException;
import dev.slipway.preview.PreviewSettings;
import dev.slipway.preview.Previews;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code slipway preview up|list|down}: isolated copies of the application (docs/promotion.md,
 * "Previews"). Through the team server when one is configured ({@code SLIPWAY_SERVER} and
 * {@code SLIPWAY_TOKEN}, or {@code slipway login}'s file), else on this host with the registry under {@code $XDG_STATE_HOME/slipway/previews}.
 */
@Command(name = "preview", description = "Isolated copies of the application: several side by side, each with a TTL.",
    subcommands = {PreviewCommands.Up.class, PreviewCommands.ListPreviews.class, PreviewCommands.Down.class})
final class PreviewCommands implements Runnable {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** How long the team server may take to start or stop a preview's whole stack before answering. */
  private static final Duration SERVER_WAIT = Duration.ofMinutes(10);

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code slipway preview up NAME}. */
  @Command(name = "up", description = "Start (or replace) preview NAME from the working tree or an environment; prints its URLs.")
  static final class Up implements Callable<Integer> {
    @Mixin
    ModelOptions.FileOption model;

    @Parameters(index = "0", paramLabel = "NAME", description = "A DNS label, e.g. pr-42.")
    String name;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "Removed this long after it is up (default 48h).")
    String ttl;

    @Option(names = "--from", paramLabel = "ENV",
        description = "Run this environment's releases (a kubernetes one: in a namespace of its own) instead of the working tree.")
    String from;

    @Option(names = "--version", paramLabel = "V", description = "The version label of the preview's releases.")
    String version;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PreviewRequest request = new PreviewRequest(name, ttl, from, model.file().toAbsolutePath().toString(), version);
      java.util.Optional<TeamClient> server = TeamClient.configured(Main.of(spec));
      PreviewView view;
      if (server.isPresent()) {
        out.println("asking " + server.get().server() + " for preview " + name);
        out.flush();
        print(server.get().post(TeamPaths.PREVIEWS, request, PreviewView.class, SERVER_WAIT), out);
        return 0;
      }
      try {
        view = open().up(request, System.getProperty("user.name", "?"), progress(out));
      } catch (PreviewException e) {
        throw failed(e);
      }
      print(view, out);
      return 0;
    }
  }

  /** {@code slipway preview list}. */
  @Command(name = "list", description = "The previews there are, their state, URLs and expiry.")
  static final class ListPreviews implements Callable<Integer> {
    @Option(names = "--json", description = "Print them as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      java.util.Optional<TeamClient> server = TeamClient.configured(Main.of(spec));
      List<PreviewView> all;
      if (server.isPresent()) {
        all = server.get().get(TeamPaths.PREVIEWS, new com.fasterxml.jackson.core.type.TypeReference<List<PreviewView>>() {});
      } else {
        try {
          all = Files.isDirectory(registryDir()) ? open().list() : List.of();
        } catch (PreviewException e) {
          throw failed(e);
        }
      }
      if (json) {
        out.println(JSON.writeValueAsString(all.stream().map(PreviewCommands::asMap).toList()));
      } else if (all.isEmpty()) {
        out.println("no previews");
      } else {
        all.forEach(p -> print(p, out));
      }
      return 0;
    }
  }

  /** {@code slipway preview down NAME}. */
  @Command(name = "down", description = "Stop preview NAME and delete everything it had (processes, data, namespace).")
  static final class Down implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      java.util.Optional<TeamClient> server = TeamClient.configured(Main.of(spec));
      if (server.isPresent()) {
        server.get().delete(TeamPaths.PREVIEWS + "/" + TeamClient.encode(name), PreviewView.class, SERVER_WAIT);
      } else {
        try {
          open().down(name, progress(out));
        } catch (PreviewException e) {
          throw failed(e);
        }
      }
      out.println("preview " + name + " removed");
      return 0;
    }
  }

  /**
   * Removes the expired previews of this host's registry: run at the start of every command. A
   * directory read when there is nothing to do; says only what it removed.
   */
  static void sweep(PrintWriter err) {
    Path dir = registryDir();
    if (!Files.isDirectory(dir)) {
      return;
    }
    try {
      open().sweep(Instant.now(), line -> {
        err.println(line);
        err.flush();
      });
    } catch (PreviewException | CliException e) {
      err.println("could not sweep expired previews: " + e.getMessage());
    }
  }

  /** The registry of this host's previews: {@code $XDG_STATE_HOME/slipway/previews}, else {@code ~/.local/state/…}. */
  static Path registryDir() {
    String state = System.getenv("XDG_STATE_HOME");
    Path base = state != null && !state.isBlank() ? Path.of(state)
        : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("slipway").resolve("previews");
  }

  private static Previews open() throws PreviewException {
    PreviewSettings settings = PreviewSettings.defaults(ControlPlaneLauncher.javaBinary(),
        System.getProperty("java.class.path"));
    String quota = System.getenv(PreviewSettings.QUOTA_VARIABLE);
    if (quota != null && !quota.isBlank()) {
      try {
        settings = settings.withQuota(Integer.parseInt(quota.strip()));
      } catch (IllegalArgumentException e) {
        throw new CliException(2, PreviewSettings.QUOTA_VARIABLE + "=" + quota + " is not a number of previews (1 or more)",
            "set it to e.g. 5, or unset it for the default " + PreviewSettings.DEFAULT_QUOTA);
      }
    }
    return Previews.open(registryDir(), settings);
  }

  private static Consumer<String> progress(PrintWriter out) {
    return line -> {
      out.println(Style.dim(line));
      out.flush();
    };
  }

  private static CliException failed(PreviewException e) {
    return new CliException(e.exitCode() == PreviewException.BAD_INPUT ? 2 : 1, e.getMessage(), e.fix());
  }

  /** A view with its times as ISO-8601 text (the CLI's JSON has no time module). */
  static Map<String, Object> asMap(PreviewView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", v.name());
    m.put("target", v.target());
    m.put("state", v.state());
    m.put("source", v.source());
    m.put("location", v.location());
    m.put("urls", v.urls());
    m.put("createdBy", v.createdBy());
    m.put("createdAt", v.createdAt() == null ? null : v.createdAt().toString());
    m.put("expiresAt", v.expiresAt() == null ? null : v.expiresAt().toString());
    m.put("message", v.message());
    return m;
  }

  private static void print(PreviewView p, PrintWriter out) {
    out.println(Style.bold(p.name()) + "  " + p.state() + "  (" + p.target() + ", " + p.source() + ")  expires "
        + p.expiresAt());
    if (p.urls() != null) {
      p.urls().forEach((service, url) -> out.println("  " + service + "  " + url));
    }
    if (p.message() != null && !p.message().isEmpty()) {
      out.println("  " + p.message());
    }
    out.flush();
  }
}
