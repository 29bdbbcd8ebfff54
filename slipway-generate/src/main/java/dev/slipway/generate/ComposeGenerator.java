package dev.slipway.generate;

import dev.slipway.generate.Generated.ReportLine;
import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.ComputeSpec;
import dev.slipway.model.DependencyCondition;
import dev.slipway.model.HealthSpec;
import dev.slipway.model.SecretNames;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code compose}: {@code compose/docker-compose.yml} in the Compose specification's format (no
 * {@code version:} and no {@code name:}, so Debian's docker-compose 1.29 and Compose v2 both read it),
 * with {@code prometheus.yml}, Grafana's data source and {@code .env.example}. Secrets and passwords
 * are {@code ${VAR}} interpolations filled from {@code compose/.env}; no value is ever written.
 */
public final class ComposeGenerator implements Generator {
  static final String DIR = "compose/";

  @Override
  public String id() {
    return "compose";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    List<ReportLine> report = new ArrayList<>();
    ComposeEnv env = new ComposeEnv(app);
    ComposePorts ports = new ComposePorts();
    Map<String, Object> services = new LinkedHashMap<>();
    Map<String, Object> volumes = new LinkedHashMap<>();
    for (BackingServiceSpec r : app.resources().values()) {
      Map<String, Object> s = ComposeBackingServices.service(app, r, env, volumes, report);
      if (s != null) {
        services.put(r.name(), s);
      }
    }
    for (ServiceSpec s : app.services().values()) {
      services.put(s.name(), service(app, s, options, env, ports, report));
    }
    String prometheus = ComposeObservability.addServices(app, services, env, ports, report);
    for (String secret : app.secrets().keySet()) {
      String variable = env.secretVariable(secret);
      report.add(env.uses(variable)
          ? new ReportLine("secrets." + secret, "${" + variable + "} from compose/.env (listed in .env.example without a value)", true)
          : new ReportLine("secrets." + secret, "not written: no service of this environment uses it", false));
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("services", services);
    if (!volumes.isEmpty()) {
      root.put("volumes", volumes);
    }
    java.util.SortedMap<String, String> files = new TreeMap<>();
    files.put(DIR + "docker-compose.yml", header(app) + YamlText.dump(root));
    files.put(DIR + "prometheus.yml", ComposeObservability.prometheusConfig(app));
    files.put(DIR + ComposeObservability.GRAFANA_DATASOURCES, ComposeObservability.grafanaDatasources(prometheus));
    files.put(DIR + ".env.example", envExample(env.variables()));
    return new Generated(files, report);
  }

  private static Map<String, Object> service(AppSpec app, ServiceSpec s, GenerateOptions options, ComposeEnv env,
      ComposePorts ports, List<ReportLine> report) throws GenerateException {
    String path = "services." + s.name();
    String image = options.image(s);
    if (image == null) {
      throw new GenerateException("compose", path + ".image", "service `" + s.name() + "` has no image; Compose runs images",
          "add `image:` to services." + s.name() + " (e.g. ghcr.io/OWNER/" + app.name() + "-" + s.name() + ")");
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("image", ComposeEnv.literal(image));
    report.add(new ReportLine(path + ".image", "image " + image, true));
    c.put("restart", "unless-stopped");
    int port = s.port() != null ? s.port() : ComposeEnv.DEFAULT_PORT;
    if (s.port() != null) {
      String published = ports.publish(s.name(), port);
      c.put("ports", List.of(published));
      report.add(new ReportLine(path + ".port", "container port " + port + ", published on " + ports.hostPort(s.name()), true));
    }
    Map<String, Object> environment = new LinkedHashMap<>();
    if (!s.env().containsKey("PORT")) {
      environment.put("PORT", Integer.toString(port));
    }
    for (Map.Entry<String, Template> e : s.env().entrySet()) {
      if (SecretNames.isLiteralSecret(e.getKey(), e.getValue())) {
        // A password written literally in the model: left out, taken from .env like any secret.
        String value = env.variable(e.getKey(), "services." + s.name() + ".env." + e.getKey()
            + " (written literally in the model: move it to `secrets:`)");
        environment.put(e.getKey(), value);
        report.add(new ReportLine(path + ".env." + e.getKey(), "environment " + e.getKey() + "=" + value
            + "; the model's literal value is left out (a secret): move it to `secrets:`", true));
        continue;
      }
      String value = env.render(e.getValue(), s);
      environment.put(e.getKey(), value);
      report.add(new ReportLine(path + ".env." + e.getKey(), "environment " + e.getKey() + "=" + value, true));
    }
    c.put("environment", environment);
    Map<String, Object> dependsOn = dependsOn(app, s, report);
    if (!dependsOn.isEmpty()) {
      c.put("depends_on", dependsOn);
    }
    Map<String, Object> health = healthcheck(s.health(), port);
    if (health != null) {
      c.put("healthcheck", health);
    }
    reportHealth(path, s.health(), port, report);
    compute(c, s.compute(), path, report);
    reportNotExpressed(s, path, report);
    return c;
  }

  /** {@code curl} against the readiness path (else liveness): the image must contain curl. */
  static Map<String, Object> healthcheck(HealthSpec h, int port) {
    String probe = h.ready() != null ? h.ready() : h.live();
    if (probe == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("test", List.of("CMD-SHELL", ComposeEnv.literal("curl -fsS http://localhost:" + port
        + ComposeBackingServices.shellQuote(probe) + " || exit 1")));
    m.put("interval", duration(h.interval()));
    m.put("timeout", "5s");
    m.put("retries", 3);
    m.put("start_period", duration(h.startupTimeout()));
    return m;
  }

  private static Map<String, Object> dependsOn(AppSpec app, ServiceSpec s, List<ReportLine> report) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, DependencyCondition> d : s.dependsOn().entrySet()) {
      String name = d.getKey();
      String path = "services." + s.name() + ".dependsOn." + name;
      BackingServiceSpec r = app.resources().get(name);
      if (r != null && !ComposeBackingServices.runsInCompose(r)) {
        report.add(new ReportLine(path, "dropped: " + name + " is external, Compose does not start it", false));
        continue;
      }
      boolean healthy = d.getValue() == DependencyCondition.HEALTHY;
      ServiceSpec dep = app.services().get(name);
      if (healthy && dep != null && dep.health().ready() == null && dep.health().live() == null) {
        healthy = false;
        report.add(new ReportLine(path, "healthy → service_started: " + name + " has no health path to check", false));
      } else {
        report.add(new ReportLine(path, "depends_on " + name + ": " + (healthy ? "service_healthy" : "service_started"), true));
      }
      out.put(name, Map.of("condition", healthy ? "service_healthy" : "service_started"));
    }
    return out;
  }

  private static void reportHealth(String path, HealthSpec h, int port, List<ReportLine> report) {
    if (h.ready() != null) {
      report.add(new ReportLine(path + ".health.ready", "healthcheck `curl -fsS http://localhost:" + port + h.ready()
          + "` (the image must contain curl)", true));
    }
    if (h.live() != null) {
      report.add(new ReportLine(path + ".health.live", h.ready() != null
          ? "not expressed: Compose has one healthcheck (readiness) and does not restart unhealthy containers"
          : "healthcheck on the liveness path; Compose does not restart unhealthy containers", h.ready() == null));
    }
    report.add(new ReportLine(path + ".health.startupTimeout", "healthcheck start_period " + duration(h.startupTimeout()), true));
    report.add(new ReportLine(path + ".health.interval", "healthcheck interval " + duration(h.interval()), true));
  }

  private static void compute(Map<String, Object> c, ComputeSpec compute, String path, List<ReportLine> report) {
    if (compute == null) {
      return;
    }
    if (compute.cpu() != null) {
      c.put("cpus", cpus(compute.cpu().value()));
      report.add(new ReportLine(path + ".resources.cpu", "cpus " + cpus(compute.cpu().value()) + " (a limit; Compose has no request)", true));
    }
    if (compute.memory() != null) {
      c.put("mem_limit", memory(compute.memory().value()));
      report.add(new ReportLine(path + ".resources.memory", "mem_limit " + memory(compute.memory().value()), true));
    }
  }

  private static void reportNotExpressed(ServiceSpec s, String path, List<ReportLine> report) {
    report.add(new ReportLine(path + ".run", "not expressed: the image's own command runs the service", false));
    if (s.build() != null) {
      report.add(new ReportLine(path + ".build", "not expressed: Compose pulls the image; build and push it first (ci.yml does)", false));
    }
    if (s.replicas() != 1) {
      report.add(new ReportLine(path + ".replicas", "not expressed: one container (" + s.replicas()
          + " wanted); a published port cannot be shared, scale with `up --scale` after removing `ports`", false));
    }
    if (s.ingress() != null) {
      report.add(new ReportLine(path + ".ingress", "not expressed: no ingress in Compose; use the published port", false));
    }
    report.add(new ReportLine(path + ".strategy", "not expressed: `" + s.strategy().id()
        + "` — Compose replaces containers in place; use `slipway deploy` or the Kubernetes targets", false));
  }

  /** Compose durations: {@code 1m30s}, {@code 500ms}. */
  static String duration(Duration d) {
    if (d.toMillisPart() != 0 || d.isZero()) {
      return d.toMillis() + "ms";
    }
    StringBuilder b = new StringBuilder();
    if (d.toHours() > 0) {
      b.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      b.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      b.append(d.toSecondsPart()).append('s');
    }
    return b.toString();
  }

  static String cpus(long millicores) {
    return java.math.BigDecimal.valueOf(millicores, 3).stripTrailingZeros().toPlainString();
  }

  /** Bytes in Compose's units ({@code 512m} = 512 MiB). */
  static String memory(long bytes) {
    String[] units = {"g", "m", "k"};
    long[] sizes = {1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length; i++) {
      if (bytes % sizes[i] == 0) {
        return bytes / sizes[i] + units[i];
      }
    }
    return bytes + "b";
  }

  private static String header(AppSpec app) {
    return "# Generated by `slipway generate compose` from " + app.file().getFileName()
        + (app.environment() == null ? "" : " (environment " + app.environment() + ")")
        + "; edit the model, not this file.\n"
        + "# Copy .env.example to .env and fill it in, then: docker compose up -d\n"
        + "# With Prometheus and Grafana: docker compose --profile observability up -d\n";
  }

  private static String envExample(Map<String, String> variables) {
    StringBuilder b = new StringBuilder();
    b.append("# Variables docker-compose.yml needs. Copy this file to .env (beside docker-compose.yml),\n")
        .append("# fill in the values and keep .env out of version control. Never put values in this file.\n");
    for (Map.Entry<String, String> v : variables.entrySet()) {
      b.append("\n# ").append(v.getValue()).append('\n').append(v.getKey()).append("=\n");
    }
    return b.toString();
  }
}
