package dev.slipway.cli;

import dev.slipway.api.ResourceUsage;
import dev.slipway.generate.Hardening;
import dev.slipway.generate.MeasuredUsage;
import dev.slipway.model.AppSpec;
import dev.slipway.model.Durations;
import dev.slipway.model.SourceLocation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code slipway lint --env ENV}: hardening checks on what {@code generate kubernetes} would produce,
 * each finding named by the model path to change. Resources are sized from what the services were
 * measured to use when Slipway ran them locally ({@code .slipway/state/usage.json}). Exit 1 when
 * there are findings (for CI gates).
 */
@Command(name = "lint", description = "Hardening checks on the Kubernetes output for an environment: probes, resources (sized from what `up` measured), securityContext, images, PDB, NetworkPolicy.")
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
    Map<String, MeasuredUsage> measured = measured(app, ResourceUsage.read(model.stateDir()));
    List<Hardening.Finding> findings = Hardening.check(app, generation.options(app), measured);
    PrintWriter out = spec.commandLine().getOut();
    for (Hardening.Finding f : findings) {
      SourceLocation at = app.locations().find(f.path());
      out.println((at == null ? "" : at + ": ") + f.path() + ": " + Style.warn(f.rule()) + ": " + f.message());
      out.println("  " + Style.dim("fix: " + f.fix()));
    }
    measured.forEach((name, m) -> out.println(Style.dim("measured locally: " + name + " peak RSS "
        + mib(m.peakMemoryBytes()) + (m.cpuP95Millis() >= 0 ? ", CPU p95 " + m.cpuP95Millis() + "m" : "")
        + ", CPU max " + m.cpuMaxMillis() + "m over " + Durations.human(m.sampledFor()) + " across " + m.releases()
        + (m.releases() == 1 ? " release" : " releases"))));
    if (findings.isEmpty()) {
      out.printf("%s no hardening findings for environment %s (%d services, %d resources)%n", Style.ok("ok"),
          generation.env, app.services().size(), app.resources().size());
      out.flush();
      return 0;
    }
    out.printf("%d finding%s for environment %s%n", findings.size(), findings.size() == 1 ? "" : "s", generation.env);
    out.flush();
    return 1;
  }

  /** The measurements of the model's services (a service measured once but since removed is left out). */
  static Map<String, MeasuredUsage> measured(AppSpec app, ResourceUsage usage) {
    Map<String, MeasuredUsage> out = new LinkedHashMap<>();
    for (String name : app.services().keySet()) {
      ResourceUsage.Service s = usage.services().get(name);
      if (s != null && s.samples() > 0) {
        out.put(name, new MeasuredUsage(s.peakMemoryBytes(), s.cpuPercentileMillis(95), s.cpuMaxMillis(),
            Duration.ofSeconds(s.sampledSeconds()), s.releases().size()));
      }
    }
    return out;
  }

  private static String mib(long bytes) {
    return ((bytes + (1 << 20) - 1) >> 20) + "Mi";
  }

}
