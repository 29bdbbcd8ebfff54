package dev.slipway.cli;

import dev.slipway.generate.Hardening;
import dev.slipway.model.AppSpec;
import dev.slipway.model.SourceLocation;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code slipway lint --env ENV}: hardening checks on what {@code generate kubernetes} would produce,
 * each finding named by the model path to change. Exit 1 when there are findings (for CI gates).
 */
@Command(name = "lint", description = "Hardening checks on the Kubernetes output for an environment: probes, resources, securityContext, images, PDB, NetworkPolicy.")
final class LintCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Mixin
  GenerationOptions generation;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    AppSpec app = generation.load(model);
    List<Hardening.Finding> findings = Hardening.check(app, generation.options(app));
    PrintWriter out = spec.commandLine().getOut();
    if (findings.isEmpty()) {
      out.printf("%s no hardening findings for environment %s (%d services, %d resources)%n", Style.ok("ok"),
          generation.env, app.services().size(), app.resources().size());
      out.flush();
      return 0;
    }
    for (Hardening.Finding f : findings) {
      SourceLocation at = app.locations().find(f.path());
      out.println((at == null ? "" : at + ": ") + f.path() + ": " + Style.warn(f.rule()) + ": " + f.message());
      out.println("  " + Style.dim("fix: " + f.fix()));
    }
    out.printf("%d finding%s for environment %s%n", findings.size(), findings.size() == 1 ? "" : "s", generation.env);
    out.flush();
    return 1;
  }
}
