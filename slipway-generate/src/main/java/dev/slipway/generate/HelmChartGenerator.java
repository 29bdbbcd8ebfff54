package dev.slipway.generate;

import dev.slipway.generate.ChartTemplates.ObjectTemplate;
import dev.slipway.generate.Generated.ReportLine;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code helm} target: a chart in {@code helm/APP/} equivalent to the kubernetes target.
 * {@code values.yaml} renders the base model; {@code values-ENV.yaml} holds only what each kubernetes
 * environment changes, so {@code helm template R helm/APP -f values-ENV.yaml --namespace NS} gives the
 * same objects as {@code generate kubernetes --env ENV}. The templates are derived from the kubernetes
 * target's objects ({@link ChartTemplates}), so every kind it emits is covered. The chart's Namespace is
 * off by default ({@code namespace.create}): Helm needs the namespace before it installs
 * ({@code --create-namespace}).
 */
public final class HelmChartGenerator implements Generator {
  @Override
  public String id() {
    return "helm";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    List<ChartVariant> variants = ChartVariant.all(app, options);
    ChartTemplates templates = ChartTemplates.derive(app, variants);
    ChartText text = new ChartText(app.name());
    String dir = "helm/" + app.name() + "/";
    Map<String, String> files = new TreeMap<>();
    files.put(dir + "Chart.yaml", ChartFiles.chart(app, variants));
    files.put(dir + ".helmignore", ChartFiles.helmignore());
    files.put(dir + "templates/_helpers.tpl", ChartFiles.helpers(app));
    files.put(dir + "templates/NOTES.txt", ChartFiles.notes(app, templates.objects, secretKeys(variants)));
    for (ObjectTemplate t : templates.objects) {
      files.put(dir + t.file(), ChartFiles.header("#") + text.object(t));
    }
    Map<String, Object> base = ChartValues.of(ChartVariant.BASE, templates.params, null);
    files.put(dir + "values.yaml", ChartFiles.header("#")
        + "# Defaults: the base model. Each values-ENV.yaml holds only what that environment changes.\n"
        + YamlText.dump(base));
    Map<String, Map<String, Object>> diffs = new LinkedHashMap<>();
    for (ChartVariant v : variants.subList(1, variants.size())) {
      Map<String, Object> diff = ChartValues.diff(base, ChartValues.of(v.key(), templates.params, base));
      diffs.put(v.key(), diff);
      files.put(dir + "values-" + v.key() + ".yaml", ChartFiles.header("#")
          + "# " + v.key() + ": helm upgrade --install " + app.name() + " " + dir.substring(0, dir.length() - 1)
          + " -f " + dir + "values-" + v.key() + ".yaml --namespace " + v.namespace() + " --create-namespace\n"
          + YamlText.dump(diff));
    }
    files.put(dir + "values.schema.json", ChartSchema.of(base, diffs.values()));
    return new Generated(new TreeMap<>(files), report(app, variants, templates, diffs, dir));
  }

  private static List<ReportLine> report(AppSpec app, List<ChartVariant> variants, ChartTemplates templates,
      Map<String, Map<String, Object>> diffs, String dir) {
    List<ReportLine> out = new ArrayList<>();
    for (ChartParam p : templates.params) {
      StringBuilder where = new StringBuilder();
      diffs.forEach((env, diff) -> lookup(diff, p.path()).ifPresent(v ->
          where.append(where.isEmpty() ? " (" : ", ").append("values-").append(env).append(".yaml: ").append(v)));
      if (!where.isEmpty()) {
        where.append(')');
      }
      boolean model = p.meaning().startsWith("services.") || p.meaning().startsWith("resources.");
      String path = model ? p.meaning() : p.path().get(0) + "." + p.path().get(1);
      String what = model ? "" : p.path().getLast().equals("enabled") && p.path().size() == 4
          ? p.meaning() + " only in some environments → " : p.meaning() + " differs between environments → ";
      out.add(new ReportLine(path, what + "values." + p.dotted() + where, true));
      if (p.meaning().contains("slipway.dev/config-hash")) {
        out.add(new ReportLine(path, "the config-hash annotation is a value, not computed by Helm: when env is"
            + " overridden with --set, pods roll only if it is set too", false));
      }
    }
    for (ChartVariant v : variants.subList(1, variants.size())) {
      out.add(new ReportLine("environments." + v.key() + ".namespace", ".Release.Namespace (helm --namespace "
          + v.namespace() + "); the Namespace object is templates/namespace.yaml, off by default (namespace.create:"
          + " false) because Helm needs the namespace before installing: pass --create-namespace", true));
    }
    for (EnvironmentSpec e : app.environments().values()) {
      if (e.target() != EnvironmentSpec.TargetKind.KUBERNETES) {
        out.add(new ReportLine("environments." + e.name(), "no values file: target " + e.target().key()
            + " is not a cluster", false));
      }
    }
    List<String> stored = variants.stream().filter(v -> v.objects().stream()
        .anyMatch(o -> "ExternalSecret".equals(Kube.kind(o)))).map(v -> "values-" + v.key() + ".yaml").toList();
    for (String secret : app.secrets().keySet()) {
      out.add(new ReportLine("secrets." + secret, "only referenced (secretKeyRef to Secret "
          + ClusterEndpoints.secretName(app) + "); the chart holds no value, create the Secret outside it"
          + (stored.isEmpty() ? "" : " (with " + String.join(", ", stored) + " the chart's ExternalSecret creates"
              + " it from the secret store)") + " (NOTES.txt lists the keys)", false));
    }
    out.add(new ReportLine("name", dir + " (chart " + app.name() + ", " + templates.objects.size() + " templates)", true));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static java.util.Optional<Object> lookup(Map<String, Object> tree, List<String> path) {
    Object cur = tree;
    for (String s : path) {
      if (!(cur instanceof Map<?, ?> m) || !m.containsKey(s)) {
        return java.util.Optional.empty();
      }
      cur = ((Map<String, Object>) m).get(s);
    }
    return java.util.Optional.of(cur == null ? "null (removed)" : cur);
  }

  private static Set<String> secretKeys(List<ChartVariant> variants) {
    Set<String> keys = new TreeSet<>();
    variants.forEach(v -> keys.addAll(SecretObjects.referencedKeys(v.objects())));
    return keys;
  }
}
