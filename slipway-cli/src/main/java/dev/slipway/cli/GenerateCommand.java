package dev.slipway.cli;

import dev.slipway.generate.GenerateException;
import dev.slipway.generate.GenerateOptions;
import dev.slipway.generate.GeneratedManifest;
import dev.slipway.generate.Generated;
import dev.slipway.generate.Generator;
import dev.slipway.generate.Generators;
import dev.slipway.generate.OutputTree;
import dev.slipway.model.AppSpec;
import dev.slipway.model.Durations;
import java.time.Duration;
import dev.slipway.model.SourceLocation;
import dev.slipway.model.Suggest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code slipway generate TARGET}: the files other platforms run, from the model. Everything is
 * generated in memory first; files are written only when every target succeeded.
 */
@Command(name = "generate", description = "Write Compose, Kubernetes, Helm, Kustomize, GitHub Actions, Argo CD or Flux files from the model.")
final class GenerateCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Parameters(paramLabel = "TARGET", description = "compose, kubernetes, helm, kustomize, github-actions, argocd, flux or all.")
  String target;

  @Mixin
  GenerationOptions generation;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Where to write (default: deploy/ beside the model). `-o .` puts .github/workflows at the repository root.")
  Path output;

  @Option(names = "--check", description = "Write nothing; exit 1 and list the files that differ from what the model generates.")
  boolean check;

  @Option(names = {"-q", "--quiet"}, description = "Print only the summary, not the field-by-field report.")
  boolean quiet;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    long started = System.nanoTime();
    List<Generator> generators = generators(target);
    AppSpec app = generation.load(model);
    GenerateOptions options = generation.options(app);
    Map<String, Generated> results = generateAll(generators, app, options);
    SortedMap<String, String> files = new TreeMap<>();
    results.values().forEach(g -> files.putAll(g.files()));
    long generated = System.nanoTime();
    Path dir = output != null ? output.toAbsolutePath().normalize() : model.file().getParent().resolve("deploy");
    PrintWriter out = spec.commandLine().getOut();
    GeneratedManifest before = GeneratedManifest.read(dir);
    List<String> stale = new ArrayList<>();
    GeneratedManifest after = before;
    for (Map.Entry<String, Generated> r : results.entrySet()) {
      // A file another target writes now is not stale, whoever wrote it before.
      before.stale(r.getKey(), r.getValue().files().keySet()).stream().filter(p -> !files.containsKey(p)).forEach(stale::add);
      after = after.with(r.getKey(), r.getValue().files().keySet());
    }
    try {
      if (check) {
        List<OutputTree.Drift> drift = new ArrayList<>(OutputTree.check(dir, files));
        drift.addAll(OutputTree.existing(dir, stale));
        if (drift.isEmpty()) {
          out.printf("%s %d generated files in %s match the model (environment %s)%n", Style.ok("ok"), files.size(),
              dir, options.environment());
          return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("%s %d of %d files in %s differ from what the model generates:%n", Style.error("drift:"),
            drift.size(), files.size(), dir);
        drift.forEach(d -> err.println("  " + d.describe()));
        err.println("regenerate them with `slipway generate " + target + " --env " + options.environment()
            + (output == null ? "" : " -o " + output) + "`, or change slipway.yaml instead of the generated files");
        err.flush();
        return 1;
      }
      int changed = OutputTree.write(dir, files);
      List<String> removed = OutputTree.remove(dir, stale);
      OutputTree.write(dir, new TreeMap<>(Map.of(GeneratedManifest.FILE, after.text())));
      for (Map.Entry<String, Generated> r : results.entrySet()) {
        report(out, r.getKey(), r.getValue());
      }
      for (String r : removed) {
        out.println(Style.warn("removed") + " " + r + " (no longer generated from the model)");
      }
      out.printf("%s %d files for environment %s in %s (%d changed) in %s (+%s writing)%n", Style.ok("generated"),
          files.size(), options.environment(), dir, changed, Durations.human(Duration.ofNanos(generated - started)),
          Durations.human(Duration.ofNanos(System.nanoTime() - generated)));
      out.flush();
      return 0;
    } catch (IOException e) {
      throw new CliException(1, "cannot write to " + dir + ": " + e.getMessage(), "check the directory and its permissions");
    }
  }

  private void report(PrintWriter out, String id, Generated g) {
    long notExpressed = g.report().stream().filter(l -> !l.expressed()).count();
    out.printf("%s: %d files, %d model fields mapped, %d not expressible here%n", Style.ok(id), g.files().size(),
        g.report().size() - notExpressed, notExpressed);
    for (Generated.ReportLine l : g.report()) {
      if (!quiet || !l.expressed()) {
        out.println("  " + (l.expressed() ? Style.dim("→") : Style.warn("✗")) + " " + l.modelPath() + ": " + l.outcome());
      }
    }
  }

  private static List<Generator> generators(String target) {
    if (target.equals("all")) {
      return Generators.all();
    }
    return List.of(Generators.byId(target).orElseThrow(() -> {
      List<String> known = new ArrayList<>(Generators.ids());
      known.add("all");
      String close = Suggest.closest(target, known);
      return new CliException(2, "unknown target `" + target + "`" + (close == null ? "" : "; did you mean `" + close + "`?"),
          "targets: " + String.join(", ", known));
    }));
  }

  /** Runs the generators side by side (they are independent and CPU-bound); results in their order. */
  private static Map<String, Generated> generateAll(List<Generator> generators, AppSpec app, GenerateOptions options) {
    Map<String, Generated> out = new LinkedHashMap<>();
    if (generators.size() == 1) {
      out.put(generators.getFirst().id(), generate(generators.getFirst(), app, options));
      return out;
    }
    int threads = Math.min(generators.size(), Runtime.getRuntime().availableProcessors());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Generated>> futures = new ArrayList<>();
      for (Generator g : generators) {
        futures.add(pool.submit(() -> generate(g, app, options)));
      }
      for (int i = 0; i < generators.size(); i++) {
        out.put(generators.get(i).id(), futures.get(i).get());
      }
      return out;
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(1, "interrupted", null);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Generated generate(Generator g, AppSpec app, GenerateOptions options) {
    try {
      return g.generate(app, options);
    } catch (GenerateException e) {
      SourceLocation at = e.modelPath() == null || e.modelPath().isEmpty() ? null : app.locations().find(e.modelPath());
      String where = (at == null ? "" : at + ": ") + (e.modelPath() == null || e.modelPath().isEmpty() ? "" : e.modelPath() + ": ");
      throw new CliException(2, where + e.getMessage() + " (target " + g.id() + ")", e.hint());
    }
  }
}
