package dev.slipway.generate;

import static dev.slipway.generate.Workflows.map;
import static dev.slipway.generate.Workflows.run;
import static dev.slipway.generate.Workflows.uses;

import dev.slipway.generate.Generated.ReportLine;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code deploy.yml} and {@code preview.yml}. Deploys run after a successful {@code ci} run of a push:
 * {@code develop} → staging, {@code main} → production, each job bound to a GitHub environment of the
 * same name (protection rules and the {@code KUBECONFIG} secret live there). Kubernetes environments
 * use {@code helm upgrade --install --wait --atomic} on the generated chart ({@code --atomic} rolls
 * back a release that does not become ready); local ones run {@code slipway deploy --wait} on a
 * self-hosted runner beside the Slipway control plane, which rolls back on its own.
 *
 * <p>Kubernetes environments in a promotion ({@code promotion.from}) go through the team server instead,
 * or it would never see the releases it judges: the environment promoted into only requests a
 * promotion ({@code slipway promote --to}; its gates and approvers decide, long after the job ended),
 * and the one it is promoted from deploys each service with {@code slipway deploy --wait}, which the
 * server runs, records and later counts as verified.
 */
final class WorkflowDeploy {
  static final String TIMEOUT = "10m";
  private static final String RUN = "github.event.workflow_run";

  private WorkflowDeploy() {}

  /** The environments CI deploys: {@code staging} and production ones; null when there are none. */
  static Map<String, Object> deploy(AppSpec app, String dir, List<ReportLine> report) {
    Map<String, Object> jobs = new LinkedHashMap<>();
    for (EnvironmentSpec env : app.environments().values()) {
      boolean production = GitOpsEnvironments.isProduction(env.name());
      if (!production && !env.name().equals("staging")) {
        report.add(new ReportLine("environments." + env.name(), "not deployed by deploy.yml: only staging (from "
            + "develop) and production (from main) are", false));
        continue;
      }
      String branch = GitOpsEnvironments.branch(env.name());
      boolean kubernetes = env.target() == EnvironmentSpec.TargetKind.KUBERNETES;
      Role role = role(app, env);
      if (role != Role.DIRECT) {
        jobs.put(env.name(), throughServer(app, env, branch, role, report));
        continue;
      }
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("name", "Deploy to " + env.name());
      job.put("if", RUN + ".conclusion == 'success' && " + RUN + ".event == 'push' && " + RUN + ".head_branch == '"
          + branch + "'");
      job.put("runs-on", kubernetes ? Workflows.RUNNER : List.of("self-hosted", "slipway-" + env.name()));
      job.put("environment", map("name", env.name()));
      List<Object> steps = new ArrayList<>();
      steps.add(uses(null, Workflows.CHECKOUT, map("ref", "${{ " + RUN + ".head_sha }}")));
      if (kubernetes) {
        steps.addAll(helmSetup());
        steps.add(run("Deploy with Helm (rolls back automatically unless every object becomes ready)",
            helmUpgrade(app, app.name(), GitOpsEnvironments.namespace(app, env), valuesFile(app, env.name()), true)));
      } else {
        for (ServiceSpec s : app.services().values()) {
          steps.add(run("Deploy " + s.name() + " with Slipway", "slipway -f " + app.file().getFileName() + " deploy "
              + s.name() + " --env " + env.name() + " --wait"));
        }
      }
      job.put("steps", steps);
      jobs.put(env.name(), job);
      report.add(new ReportLine("environments." + env.name(), "deploy.yml: " + branch + " → " + env.name() + " ("
          + (kubernetes ? "helm upgrade --install --wait --atomic" : "slipway deploy --wait on a self-hosted runner "
              + "labelled slipway-" + env.name()) + ")" + (production ? "; add required reviewers to the GitHub "
              + "environment `" + env.name() + "` to gate it" : ""), true));
      if (!kubernetes && inPromotion(app, env)) {
        report.add(new ReportLine("environments." + env.name() + ".promotion", "deployed directly by deploy.yml: the "
            + "team server drives kubernetes environments only, so it neither promotes into nor verifies a local one",
            false));
      }
      if (kubernetes) {
        report.add(new ReportLine("environments." + env.name() + " (images)", "deploy.yml installs each service's "
            + "image of the deployed commit (tag sha-COMMIT, pushed by ci.yml) over values-" + env.name() + ".yaml", true));
      }
    }
    if (jobs.isEmpty()) {
      return null;
    }
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("name", "deploy");
    w.put("on", map("workflow_run", map("workflows", List.of("ci"), "types", List.of("completed"),
        "branches", List.of("develop", "main"))));
    w.put("permissions", map("contents", "read"));
    // Never cancel a deployment half-way; the next one waits.
    w.put("concurrency", map("group", "deploy-${{ " + RUN + ".head_branch }}", "cancel-in-progress", false));
    putDefaults(w, dir);
    w.put("jobs", jobs);
    return w;
  }

  /**
   * {@code preview.yml}: {@code slipway preview up pr-N --ttl 48h} on a pull request's open, update and
   * reopen (from the first non-production kubernetes environment's releases, in a namespace of its
   * own, when there is one; else a local preview of the pull request's tree on a self-hosted runner),
   * its URLs commented on the pull request; {@code slipway preview down pr-N} on close. With the
   * repository variable SLIPWAY_SERVER and secret SLIPWAY_TOKEN the team server runs them.
   */
  static Map<String, Object> preview(AppSpec app, String dir, List<ReportLine> report) {
    EnvironmentSpec base = previewBase(app);
    String name = "pr-${{ github.event.number }}";
    String slipway = "slipway -f " + app.file().getFileName() + " preview ";
    Map<String, Object> server = map("SLIPWAY_SERVER", "${{ vars.SLIPWAY_SERVER }}",
        "SLIPWAY_TOKEN", "${{ secrets.SLIPWAY_TOKEN }}");
    List<Object> up = new ArrayList<>();
    up.add(uses(null, Workflows.CHECKOUT, null));
    if (base != null) {
      up.add(kubeconfig());
    }
    Map<String, Object> start = run("Start the preview", slipway + "up " + name + " --ttl 48h"
        + (base == null ? "" : " --from " + base.name()) + " --version sha-${{ github.event.pull_request.head.sha }}"
        + " | tee preview.txt");
    start.put("env", server);
    up.add(start);
    Map<String, Object> comment = run("Comment the preview's URLs", "gh pr comment ${{ github.event.number }} --edit-last"
        + " --body-file preview.txt || gh pr comment ${{ github.event.number }} --body-file preview.txt");
    comment.put("env", map("GH_TOKEN", "${{ github.token }}"));
    up.add(comment);
    List<Object> down = new ArrayList<>();
    down.add(uses(null, Workflows.CHECKOUT, null));
    if (base != null) {
      down.add(kubeconfig());
    }
    Map<String, Object> stop = run("Remove the preview", slipway + "down " + name);
    stop.put("env", server);
    down.add(stop);
    List<Object> runner = base == null ? List.of("self-hosted", "slipway-preview") : List.of("self-hosted", "slipway");
    Map<String, Object> jobs = new LinkedHashMap<>();
    jobs.put("deploy", map("name", "Start preview", "if", "github.event.action != 'closed'",
        "runs-on", runner, "environment", map("name", "preview"), "steps", up));
    jobs.put("destroy", map("name", "Remove preview", "if", "github.event.action == 'closed'",
        "runs-on", runner, "environment", map("name", "preview"), "steps", down));
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("name", "preview");
    w.put("on", map("pull_request", map("types", List.of("opened", "synchronize", "reopened", "closed"))));
    w.put("permissions", map("contents", "read", "pull-requests", "write"));
    w.put("concurrency", map("group", "preview-${{ github.event.number }}", "cancel-in-progress", false));
    putDefaults(w, dir);
    w.put("jobs", jobs);
    report.add(new ReportLine("(preview)", "preview.yml: pull request → `slipway preview up pr-NUMBER --ttl 48h`"
        + (base == null ? " (a local preview on a self-hosted runner labelled slipway-preview)"
            : " --from " + base.name() + " (namespace " + GitOpsEnvironments.namespace(app, base) + "-pr-NUMBER)")
        + ", URLs commented; closed → `slipway preview down pr-NUMBER`; vars.SLIPWAY_SERVER + secrets.SLIPWAY_TOKEN"
        + " send them to the team server. Pull requests from forks get no secrets", true));
    return w;
  }

  /** What an environment's job does: deploy directly as ever, or through the team server in a promotion. */
  enum Role {
    DIRECT,
    /** Promoted into ({@code promotion} set, and so also every protected one): the job requests a promotion. */
    PROMOTED,
    /** Another environment's {@code promotion.from}: the server deploys it, so it sees what is verified there. */
    SOURCE
  }

  /**
   * {@code env}'s role in deploy.yml. Only kubernetes environments go through the team server (it drives
   * no local one); a local environment in a promotion keeps its direct job, which the report marks.
   */
  static Role role(AppSpec app, EnvironmentSpec env) {
    if (env.target() != EnvironmentSpec.TargetKind.KUBERNETES) {
      return Role.DIRECT;
    }
    if (env.promotion() != null || env.isProtected()) {
      return Role.PROMOTED;
    }
    return promotedFrom(app, env) ? Role.SOURCE : Role.DIRECT;
  }

  private static boolean promotedFrom(AppSpec app, EnvironmentSpec env) {
    return app.environments().values().stream()
        .anyMatch(e -> e.promotion() != null && env.name().equals(e.promotion().from()));
  }

  private static boolean inPromotion(AppSpec app, EnvironmentSpec env) {
    return env.promotion() != null || env.isProtected() || promotedFrom(app, env);
  }

  private static Map<String, Object> throughServer(AppSpec app, EnvironmentSpec env, String branch, Role role,
      List<ReportLine> report) {
    String slipway = "slipway -f " + app.file().getFileName() + " ";
    String reason = "--reason \"deploy.yml: " + branch + " at ${{ " + RUN + ".head_sha }}\"";
    Map<String, Object> server = map("SLIPWAY_SERVER", "${{ vars.SLIPWAY_SERVER }}",
        "SLIPWAY_TOKEN", "${{ secrets.SLIPWAY_TOKEN }}");
    List<Object> steps = new ArrayList<>();
    steps.add(uses(null, Workflows.CHECKOUT, map("ref", "${{ " + RUN + ".head_sha }}")));
    String line;
    if (role == Role.PROMOTED) {
      // No --wait: gates such as a soak, approvals or a window can hold for hours; the server runs the
      // promotion once they hold, and `slipway promotions` follows it.
      Map<String, Object> step = run("Request the promotion into " + env.name() + " (its gates decide when it runs)",
          slipway + "promote --to " + env.name() + " --yes " + reason);
      step.put("env", server);
      steps.add(step);
      line = branch + " → " + env.name() + " by promotion through the team server (slipway promote --to " + env.name()
          + "; its gates decide)";
    } else {
      List<String> skipped = new ArrayList<>();
      for (ServiceSpec s : app.services().values()) {
        if (s.image() == null) {
          skipped.add(s.name());
          continue;
        }
        // The image ci.yml pushed for this very commit (metadata-action: type=sha,format=long), as Helm installs it.
        Map<String, Object> step = run("Deploy " + s.name() + " through the team server", slipway + "deploy " + s.name()
            + " --env " + env.name() + " --image-tag sha-${{ " + RUN + ".head_sha }} --wait " + reason);
        step.put("env", server);
        steps.add(step);
      }
      if (!skipped.isEmpty()) {
        report.add(new ReportLine("environments." + env.name(), "deploy.yml does not deploy " + String.join(", ", skipped)
            + ": no `image:`, so the team server has nothing to run on a cluster", false));
      }
      line = branch + " → " + env.name() + " through the team server (slipway deploy SERVICE --env " + env.name()
          + " --image-tag sha-COMMIT --wait), which records its releases for promotion";
    }
    report.add(new ReportLine("environments." + env.name(), "deploy.yml: " + line + "; on a self-hosted runner "
        + "labelled slipway, with vars.SLIPWAY_SERVER and secrets.SLIPWAY_TOKEN (a deployer's token)", true));
    EnvironmentSpec from = env.promotion() == null ? null : app.environments().get(env.promotion().from());
    if (from != null && from.target() != EnvironmentSpec.TargetKind.KUBERNETES) {
      report.add(new ReportLine("environments." + env.name() + ".promotion", "from `" + from.name() + "`, a local "
          + "environment: the team server sees no release there, so nothing is ever verified for promotion; make `"
          + from.name() + "` a kubernetes environment", false));
    }
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("name", (role == Role.PROMOTED ? "Promote to " : "Deploy to ") + env.name());
    job.put("if", RUN + ".conclusion == 'success' && " + RUN + ".event == 'push' && " + RUN + ".head_branch == '"
        + branch + "'");
    job.put("runs-on", List.of("self-hosted", "slipway"));
    job.put("environment", map("name", env.name()));
    job.put("steps", steps);
    return job;
  }

  private static Map<String, Object> kubeconfig() {
    Map<String, Object> step = run("Cluster credentials", "mkdir -p ~/.kube\n"
        + "printf '%s' \"$KUBECONFIG_DATA\" > ~/.kube/config\nchmod 600 ~/.kube/config");
    step.put("env", map("KUBECONFIG_DATA", "${{ secrets.KUBECONFIG }}"));
    return step;
  }

  private static EnvironmentSpec previewBase(AppSpec app) {
    List<EnvironmentSpec> kube = GitOpsEnvironments.kubernetes(app);
    return kube.stream().filter(e -> e.name().equals("staging")).findFirst()
        .orElse(kube.stream().filter(e -> !GitOpsEnvironments.isProduction(e.name())).findFirst()
            .orElse(kube.isEmpty() ? null : kube.get(0)));
  }

  private static List<Object> helmSetup() {
    List<Object> steps = new ArrayList<>();
    steps.add(uses(null, Workflows.SETUP_HELM, null));
    Map<String, Object> kubeconfig = run("Cluster credentials", "mkdir -p ~/.kube\n"
        + "printf '%s' \"$KUBECONFIG_DATA\" > ~/.kube/config\nchmod 600 ~/.kube/config");
    kubeconfig.put("env", map("KUBECONFIG_DATA", "${{ secrets.KUBECONFIG }}"));
    steps.add(kubeconfig);
    return steps;
  }

  /** @param commitImages install the images ci.yml pushed for the commit (not for pull requests: none are pushed) */
  private static String helmUpgrade(AppSpec app, String release, String namespace, String values, boolean commitImages) {
    String chart = "helm/" + app.name();
    StringBuilder images = new StringBuilder();
    for (ServiceSpec s : app.services().values()) {
      if (commitImages && s.image() != null) {
        // The image ci.yml pushed for this very commit (metadata-action: type=sha,format=long).
        images.append(" \\\n  --set-string services.").append(s.name()).append(".image.tag=sha-${{ ").append(RUN)
            .append(".head_sha }}");
      }
    }
    return "helm upgrade --install " + release + " " + chart + " --namespace " + namespace + " --create-namespace"
        + " --values " + chart + "/" + values + images + " \\\n  --wait --atomic --timeout " + TIMEOUT;
  }

  private static String valuesFile(AppSpec app, String environment) {
    return "values-" + environment + ".yaml";
  }

  private static void putDefaults(Map<String, Object> w, String dir) {
    if (!dir.isEmpty()) {
      w.put("defaults", map("run", map("working-directory", dir)));
    }
  }
}
