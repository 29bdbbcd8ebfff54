package dev.slipway.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** {@code services:}: how each service is built, run, checked, sized and exposed. */
final class ServiceBinder {
  /** A path that stays one plain YAML scalar, so a fix can write it without quotes. */
  private static final java.util.regex.Pattern PLAIN_PATH = java.util.regex.Pattern.compile("/[A-Za-z0-9/_.~%-]*");

  private ServiceBinder() {}

  /** Binds {@code node} (the {@code services:} map, overlay already merged) at {@code owner}. */
  static Map<String, ServiceSpec> bind(Binding b, Node node, SourceLocation owner) {
    Map<String, ServiceSpec> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    YamlMap section = YamlMap.of(b.problems, node, "services", owner, null,
        "write one service per line, e.g. `api: { run: \"java -jar api.jar\" }`");
    if (section == null) {
      return out;
    }
    for (Map.Entry<String, NodeTuple> e : section.entries()) {
      String name = e.getKey();
      b.serviceKeys.put(name, e.getValue().getKeyNode());
      Names.checkDnsLabel(b.problems, e.getValue().getKeyNode(), section.path(name), "service name", name);
      Node value = section.require(name, "add at least `run:` with the command that starts it");
      if (value == null) {
        continue;
      }
      YamlMap s = YamlMap.of(b.problems, value, section.path(name), section.keyLocation(name), ModelKeys.SERVICE,
          "write the service's keys (`run:`, `port:`, …) on indented lines below `" + name + ":`");
      if (s != null) {
        b.serviceNodes.put(name, s.node());
      }
      ServiceSpec spec = s == null ? null : service(b, name, s);
      if (spec != null) {
        out.put(name, spec);
      }
    }
    return out;
  }

  private static ServiceSpec service(Binding b, String name, YamlMap s) {
    Problems p = b.problems;
    BuildSpec build = build(b, name, s);
    Node runNode = s.require("run", "add `run:` with the command that starts one instance, e.g. `run: \"java -jar "
        + name + ".jar\"`");
    Template run = runNode == null ? null : b.template(runNode, s.path("run"), Binding.Field.RUN, name);
    String image = s.string("image");
    Integer port = s.integer("port", 1, 65535, "use a port from 1 to 65535, e.g. `8080`");
    HealthSpec health = health(b, s);
    Map<String, Template> env = env(b, name, s);
    Integer replicas = s.integer("replicas", 0, Integer.MAX_VALUE, "write the number of instances, e.g. `2`");
    ComputeSpec compute = compute(b, s);
    Map<String, DependencyCondition> dependsOn = Dependencies.bind(b, name, s);
    IngressSpec ingress = ingress(b, s, port);
    StrategySpec strategy = StrategyBinder.bind(b, s);
    AutoscalingSpec autoscaling = AutoscalingBinder.bind(p, s, replicas);
    boolean broken = (runNode != null && run == null) || (s.get("port") != null && port == null)
        || (s.get("replicas") != null && replicas == null);
    if (runNode == null || broken || health == null || env == null || strategy == null || dependsOn == null
        || (s.get("build") != null && build == null) || (s.get("resources") != null && compute == null)
        || (s.get("ingress") != null && ingress == null) || (s.get("autoscaling") != null && autoscaling == null)) {
      return null;
    }
    return new ServiceSpec(name, build, run.raw(), image, port, health, env, replicas == null ? 1 : replicas,
        compute, dependsOn, ingress, strategy, autoscaling);
  }

  private static BuildSpec build(Binding b, String service, YamlMap s) {
    YamlMap build = s.map("build", ModelKeys.BUILD, "write e.g. `build: { command: \"mvn -q package\" }`");
    if (build == null) {
      return null;
    }
    Node cmd = build.require("command", "add `command:` with the shell command that builds it");
    Template command = cmd == null ? null : b.template(cmd, build.path("command"), Binding.Field.BUILD, service);
    List<String> inputs = build.strings("inputs");
    List<String> outputs = build.strings("outputs");
    // A build command holds no references (they are errors); rendering turns `$${` into the `${` the shell sees.
    String dockerfile = relativePath(b.problems, build, "dockerfile");
    boolean broken = build.get("dockerfile") != null && dockerfile == null;
    return command == null || broken ? null
        : new BuildSpec(command.render(Reference::toString), inputs, outputs, dockerfile);
  }

  /** A path inside the model's directory: relative, without {@code ..}, since it is read from the build context. */
  private static String relativePath(Problems p, YamlMap m, String key) {
    String v = m.string(key);
    if (v == null) {
      return null;
    }
    String norm = v.strip().replace('\\', '/');
    while (norm.startsWith("./")) {
      norm = norm.substring(2);
    }
    if (norm.isEmpty() || norm.startsWith("/") || java.util.Arrays.asList(norm.split("/")).contains("..")) {
      p.error(m.get(key), m.path(key), "expected a path inside the model's directory, found `" + Scalars.abbreviate(v)
          + "`", "write it relative to the model file, e.g. `api/Dockerfile`");
      return null;
    }
    return norm;
  }

  private static HealthSpec health(Binding b, YamlMap s) {
    if (s.get("health") == null) {
      return HealthSpec.defaults();
    }
    YamlMap h = s.map("health", ModelKeys.HEALTH, "write e.g. `health: { ready: /health/ready }`");
    if (h == null) {
      return null;
    }
    String ready = httpPath(b.problems, h, "ready");
    String live = httpPath(b.problems, h, "live");
    Duration startup = h.duration("startupTimeout", true);
    Duration interval = h.duration("interval", true);
    boolean broken = (h.get("ready") != null && ready == null) || (h.get("live") != null && live == null)
        || (h.get("startupTimeout") != null && startup == null) || (h.get("interval") != null && interval == null);
    return broken ? null : new HealthSpec(ready, live,
        startup != null ? startup : HealthSpec.DEFAULT_STARTUP_TIMEOUT,
        interval != null ? interval : HealthSpec.DEFAULT_INTERVAL);
  }

  /** A URL path: must start with {@code /} (a common slip is writing {@code health/ready}). */
  static String httpPath(Problems p, YamlMap m, String key) {
    String v = m.string(key);
    if (v == null || v.startsWith("/")) {
      return v;
    }
    String fixed = "/" + v.strip();
    p.error(m.get(key), m.path(key), "expected a path starting with `/`, found `" + Scalars.abbreviate(v) + "`",
        v.isBlank() ? "write e.g. `/health`" : "write `" + Scalars.abbreviate(fixed) + "`",
        !v.isBlank() && PLAIN_PATH.matcher(fixed).matches()
            ? Fixes.replace(ModelFix.Kind.PATH_SLASH, m.get(key), fixed) : null);
    return null;
  }

  private static Map<String, Template> env(Binding b, String service, YamlMap s) {
    Map<String, Template> out = new LinkedHashMap<>();
    YamlMap env = s.map("env", null, "write one `NAME: value` per line");
    if (env == null) {
      return s.get("env") == null ? out : null;
    }
    boolean ok = true;
    for (Map.Entry<String, NodeTuple> e : env.entries()) {
      String name = e.getKey();
      String path = env.path(name);
      if (!Names.ENV_VAR.matcher(name).matches()) {
        b.problems.error(e.getValue().getKeyNode(), path, "invalid environment variable name `"
            + Scalars.abbreviate(name) + "`", "use letters, digits and `_`, not starting with a digit");
        ok = false;
        continue;
      }
      Node v = env.get(name);
      if (v == null) {
        b.problems.error(e.getValue().getKeyNode(), path, "`" + name + "` has no value",
            "write `" + name + ": \"\"` for an empty value", emptyValue(env.raw(name)));
        ok = false;
        continue;
      }
      if (!(v instanceof ScalarNode)) {
        b.problems.error(v, path, "expected a string, found " + Scalars.describe(v),
            "environment values are text; quote it if it starts with `{` or `[`");
        ok = false;
        continue;
      }
      Template t = b.template(v, path, Binding.Field.ENV, service);
      if (t == null) {
        ok = false;
      } else {
        out.put(name, t);
      }
    }
    return ok ? out : null;
  }

  /** {@code NAME: ""} for {@code NAME:} or {@code NAME: ~}: an empty string in place of the null. */
  private static ModelFix emptyValue(Node value) {
    if (value == null || value.getStartMark() == null) {
      return null;
    }
    // `NAME:` has an empty null scalar right after the colon; `NAME: ~` a written one
    return value.getEndMark().getIndex() > value.getStartMark().getIndex()
        ? Fixes.replace(ModelFix.Kind.ENV_EMPTY, value, "\"\"")
        : Fixes.insert(ModelFix.Kind.ENV_EMPTY, value.getStartMark().getIndex(), " \"\"");
  }

  private static ComputeSpec compute(Binding b, YamlMap s) {
    YamlMap r = s.map("resources", ModelKeys.COMPUTE, "write e.g. `resources: { cpu: 500m, memory: 512Mi }`");
    if (r == null) {
      return null;
    }
    Quantity cpu = quantity(b.problems, r, "cpu", true);
    Quantity memory = quantity(b.problems, r, "memory", false);
    boolean broken = (r.get("cpu") != null && cpu == null) || (r.get("memory") != null && memory == null);
    return broken ? null : new ComputeSpec(cpu, memory);
  }

  private static Quantity quantity(Problems p, YamlMap r, String key, boolean cpu) {
    String text = r.string(key);
    if (text == null) {
      return null;
    }
    try {
      return cpu ? Quantities.cpu(text) : Quantities.memory(text);
    } catch (ValueException e) {
      p.error(r.get(key), r.path(key), e);
      return null;
    }
  }

  private static IngressSpec ingress(Binding b, YamlMap s, Integer port) {
    YamlMap in = s.map("ingress", ModelKeys.INGRESS, "write e.g. `ingress: { host: shop.example.com, path: / }`");
    if (in == null) {
      return null;
    }
    Node hostNode = in.require("host", "add `host:` with the public host name, e.g. `host: shop.example.com`");
    String host = hostNode == null ? null : Scalars.string(b.problems, hostNode, in.path("host"));
    if (host != null && !(host.length() <= 253 && Names.HOST.matcher(host).matches())) {
      b.problems.error(hostNode, in.path("host"), "invalid host name `" + Scalars.abbreviate(host) + "`",
          "write a lowercase DNS name without scheme or port, e.g. `shop.example.com`");
      host = null;
    }
    String path = httpPath(b.problems, in, "path");
    if (s.get("port") == null) {
      b.problems.error(in.owner(), in.path(), "`ingress` needs the service's `port:`",
          "add `port:` with the port the service listens on, e.g. `port: 8080`",
          Fixes.insertEntry(ModelFix.Kind.INGRESS_PORT, s.node(), "port: 8080"));
      return null;
    }
    boolean broken = host == null || (in.get("path") != null && path == null) || port == null;
    return broken ? null : new IngressSpec(host, path != null ? path : "/");
  }
}
