package dev.slipway.generate;

import dev.slipway.generate.Generated.ReportLine;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code github-actions}: {@code .github/workflows/ci.yml} (build, tests, dependency review, image
 * build + scan + push), {@code deploy.yml} (develop → staging, main → production) and
 * {@code preview.yml} (a namespace per pull request). Every workflow starts from read-only
 * permissions and widens them per job; actions are pinned to major versions.
 */
public final class GitHubActionsGenerator implements Generator {
  static final String DIR = ".github/workflows/";

  @Override
  public String id() {
    return "github-actions";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    List<ReportLine> report = new ArrayList<>();
    String dir = Workflows.workingDirectory(app);
    SortedMap<String, String> files = new TreeMap<>();
    Map<String, ImageBuild> images = new LinkedHashMap<>();
    for (ServiceSpec s : app.services().values()) {
      if (s.image() != null) {
        ImageBuild how = ImageBuilds.decide(app, s);
        images.put(s.name(), how);
        if (how instanceof ImageBuild.GeneratedDockerfile g) {
          files.put(g.dockerfile(), g.contents());
          files.put(g.dockerfile() + ".dockerignore", g.ignore());
        }
      }
    }
    files.put(DIR + "ci.yml", Workflows.dump("build, test, scan, push images", WorkflowCi.workflow(app, images, dir, report)));
    Map<String, Object> deploy = WorkflowDeploy.deploy(app, dir, report);
    if (deploy != null) {
      files.put(DIR + "deploy.yml", Workflows.dump("develop → staging, main → production", deploy));
    }
    Map<String, Object> preview = WorkflowDeploy.preview(app, dir, report);
    if (preview != null) {
      files.put(DIR + "preview.yml", Workflows.dump("an environment per pull request", preview));
    }
    boolean generated = images.values().stream().anyMatch(i -> i instanceof ImageBuild.GeneratedDockerfile);
    report.add(new ReportLine("(layout)", "run steps work in `" + (dir.isEmpty() ? "." : dir) + "` (the model's "
        + "directory in its repository); helm/" + app.name() + (generated ? " and " + JavaDockerfile.DIR : "")
        + " must be generated there, and .github/ must be at the repository root", true));
    if (!app.secrets().isEmpty()) {
      report.add(new ReportLine("secrets", "not in the workflows: the chart's Secrets reference them; the only "
          + "workflow secret is KUBECONFIG, per GitHub environment", false));
    }
    return new Generated(files, report);
  }
}
