package dev.slipway.cli;

import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.SecretSpec;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import dev.slipway.model.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The model as Slipway understands it for one environment: overlay applied, defaults filled in,
 * literal values of secret-looking variables masked. References stay as written: their values exist
 * only at run time.
 */
final class EffectiveModel {

  private EffectiveModel() {}

  static String yaml(AppSpec app) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setWidth(120);
    return new Yaml(options).dump(toMap(app));
  }

  static Map<String, Object> toMap(AppSpec app) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", app.name());
    if (app.environment() != null) {
      root.put("environment", app.environment());
    }
    if (!app.secrets().isEmpty()) {
      Map<String, Object> secrets = new LinkedHashMap<>();
      app.secrets().values().forEach(s -> secrets.put(s.name(), switch (s.source()) {
        case SecretSpec.FromEnv e -> "env:" + e.variable();
        case SecretSpec.FromFile f -> "file:" + f.path();
      }));
      root.put("secrets", secrets);
    }
    Map<String, Object> services = new LinkedHashMap<>();
    app.services().values().forEach(s -> services.put(s.name(), service(s)));
    root.put("services", services);
    Map<String, Object> resources = new LinkedHashMap<>();
    app.resources().values().forEach(r -> resources.put(r.name(), resource(r)));
    root.put("resources", resources);
    Map<String, Object> environments = new LinkedHashMap<>();
    app.environments().values().forEach(e -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target", e.target().key());
      if (e.namespace() != null) {
        m.put("namespace", e.namespace());
      }
      cluster(e.cluster(), m);
      if (e.promotion() != null) {
        m.put("promotion", promotion(e.promotion()));
      }
      if (e.isProtected()) {
        m.put("protected", true);
      }
      environments.put(e.name(), m);
    });
    root.put("environments", environments);
    return root;
  }

  /** What a kubernetes environment says about its cluster: where commands go, where analysis reads, the digest rule. */
  private static void cluster(dev.slipway.model.ClusterSettings c, Map<String, Object> m) {
    if (c.context() != null) {
      m.put("context", c.context());
    }
    if (c.prometheus() != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("url", c.prometheus().url().toString());
      p.put("metrics", c.prometheus().metrics());
      if (c.prometheus().requests() != null) {
        p.put("requests", c.prometheus().requests());
      }
      if (c.prometheus().buckets() != null) {
        p.put("buckets", c.prometheus().buckets());
      }
      m.put("prometheus", p);
    }
    if (c.gitops() != null) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("repo", c.gitops().repo());
      g.put("branch", c.gitops().branch());
      g.put("path", c.gitops().path());
      m.put("gitops", g);
    }
    if (c.requireDigests()) {
      m.put("requireDigests", true);
    }
  }

  /** Where releases come from and the gates, defaults filled in (docs/promotion.md). */
  private static Map<String, Object> promotion(dev.slipway.model.PromotionSpec p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", p.from());
    m.put("soak", p.soak().isZero() ? "0s" : duration(p.soak()));
    m.put("approvals", p.approvals());
    m.put("approvers", p.approvers());
    if (p.window() != null) {
      dev.slipway.model.WindowSpec w = p.window();
      Map<String, Object> window = new LinkedHashMap<>();
      window.put("days", w.days().stream().sorted()
          .map(d -> d.getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH)).toList());
      window.put("hours", w.opens() + "-" + (w.closes().equals(java.time.LocalTime.MAX) ? "24:00" : w.closes()));
      window.put("timezone", w.zone().getId());
      m.put("window", window);
    }
    return m;
  }

  private static Map<String, Object> service(ServiceSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (s.build() != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("command", s.build().command());
      b.put("inputs", s.build().inputs());
      if (!s.build().outputs().isEmpty()) {
        b.put("outputs", s.build().outputs());
      }
      m.put("build", b);
    }
    m.put("run", s.run());
    putIf(m, "image", s.image());
    putIf(m, "port", s.port());
    Map<String, Object> health = new LinkedHashMap<>();
    putIf(health, "ready", s.health().ready());
    putIf(health, "live", s.health().live());
    health.put("startupTimeout", duration(s.health().startupTimeout()));
    health.put("interval", duration(s.health().interval()));
    m.put("health", health);
    if (!s.env().isEmpty()) {
      Map<String, Object> env = new LinkedHashMap<>();
      s.env().forEach((k, v) -> env.put(k, masked(k, v)));
      m.put("env", env);
    }
    m.put("replicas", s.replicas());
    if (s.autoscaling() != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("min", s.autoscaling().min());
      a.put("max", s.autoscaling().max());
      a.put("cpu", java.math.BigDecimal.valueOf(s.autoscaling().cpu() * 100).setScale(1, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "%");
      m.put("autoscaling", a);
    }
    if (s.compute() != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      putIf(c, "cpu", s.compute().cpu() == null ? null : s.compute().cpu().text());
      putIf(c, "memory", s.compute().memory() == null ? null : s.compute().memory().text());
      m.put("resources", c);
    }
    if (!s.dependsOn().isEmpty()) {
      Map<String, Object> deps = new LinkedHashMap<>();
      s.dependsOn().forEach((k, v) -> deps.put(k, v.key()));
      m.put("dependsOn", deps);
    }
    if (s.ingress() != null) {
      Map<String, Object> i = new LinkedHashMap<>();
      putIf(i, "host", s.ingress().host());
      putIf(i, "path", s.ingress().path());
      m.put("ingress", i);
    }
    m.put("strategy", strategy(s.strategy()));
    return m;
  }

  private static Object masked(String name, Template value) {
    return dev.slipway.model.SecretNames.isLiteralSecret(name, value) ? "****" : value.raw();
  }

  private static Map<String, Object> strategy(StrategySpec strategy) {
    Map<String, Object> body = new LinkedHashMap<>();
    String key = switch (strategy) {
      case StrategySpec.Rolling r -> {
        body.put("maxSurge", r.maxSurge());
        body.put("maxUnavailable", r.maxUnavailable());
        yield r.kind().modelKey();
      }
      case StrategySpec.BlueGreen b -> {
        body.put("rollbackWindow", duration(b.rollbackWindow()));
        if (!b.smoke().isEmpty()) {
          List<Object> smoke = new ArrayList<>();
          b.smoke().forEach(c -> smoke.add(new LinkedHashMap<>(Map.of("name", c.name(), "path", c.path(),
              "expect", c.expect()))));
          body.put("smoke", smoke);
        }
        yield b.kind().modelKey();
      }
      case StrategySpec.Canary c -> {
        List<Object> steps = new ArrayList<>();
        for (CanaryStep step : c.steps()) {
          steps.add(switch (step) {
            case CanaryStep.SetWeight w -> Map.of("setWeight", w.weight());
            case CanaryStep.Pause p -> Map.of("pause", p.untilPromoted() ? Map.of() : duration(p.duration()));
            case CanaryStep.Analysis a -> {
              Map<String, Object> am = new LinkedHashMap<>();
              if (a.maxErrorRate() != null) {
                am.put("maxErrorRate", trimPercent(a.maxErrorRate() * 100) + "%");
              }
              putIf(am, "maxLatencyP95", a.maxLatencyP95() == null ? null : duration(a.maxLatencyP95()));
              putIf(am, "maxLatencyP99", a.maxLatencyP99() == null ? null : duration(a.maxLatencyP99()));
              am.put("minRequests", a.minRequests());
              am.put("timeout", duration(a.timeout()));
              yield Map.of("analysis", am);
            }
          });
        }
        body.put("steps", steps);
        yield c.kind().modelKey();
      }
    };
    return Map.of(key, body);
  }

  private static Map<String, Object> resource(BackingServiceSpec r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", r.type().key());
    putIf(m, "version", r.version());
    m.put("provider", r.provider().key());
    putIf(m, "url", r.url() == null ? null : dev.slipway.model.SecretNames.maskUrlPassword(r.url().raw()));
    putIf(m, "database", r.database());
    putIf(m, "username", r.username());
    return m;
  }

  private static String trimPercent(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  static String duration(Duration d) {
    if (d == null) {
      return null;
    }
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  private static void putIf(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
