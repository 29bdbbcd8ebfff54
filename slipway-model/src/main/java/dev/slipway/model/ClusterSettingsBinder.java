package dev.slipway.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * What a {@code kubernetes} environment says about its cluster: {@code context}, {@code prometheus},
 * {@code gitops} and {@code requireDigests} ({@link ClusterSettings}). On any other target each is an
 * error, as {@code secretStore} and {@code gateway} are.
 */
final class ClusterSettingsBinder {
  static final List<String> METRICS = List.of(PrometheusSpec.MICROMETER, PrometheusSpec.INGRESS_NGINX,
      PrometheusSpec.ENVOY_GATEWAY);
  /** What {@code requests} and {@code buckets} templates may hold, without braces. */
  static final List<String> PLACEHOLDERS = List.of("namespace", "service");
  private static final String URL_EXAMPLE = "http://prometheus.monitoring:9090";
  /** {@code https://…}, {@code ssh://…}, {@code file://…}: git's URL form. */
  private static final Pattern URL_FORM = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");
  /** {@code git@host:org/repo.git}: git's scp-like form, a colon before any slash. */
  private static final Pattern SCP_FORM = Pattern.compile("[^/:]{2,}:.*");

  private ClusterSettingsBinder() {}

  /** The environment's settings; {@link ClusterSettings#NONE} when it sets none (or they are wrong, reported). */
  static ClusterSettings bind(Problems p, YamlMap env, String environment, String target) {
    String context = present(p, env, "context", target) ? context(p, env) : null;
    PrometheusSpec prometheus = present(p, env, "prometheus", target) ? prometheus(p, env) : null;
    GitOpsSpec gitops = present(p, env, "gitops", target) ? gitops(p, env, environment) : null;
    boolean digests = present(p, env, "requireDigests", target)
        && Boolean.TRUE.equals(Scalars.bool(p, env.get("requireDigests"), env.path("requireDigests")));
    return context == null && prometheus == null && gitops == null && !digests ? ClusterSettings.NONE
        : new ClusterSettings(context, prometheus, gitops, digests);
  }

  /** Whether {@code key} has a value to bind: written, and on a cluster (else reported). */
  private static boolean present(Problems p, YamlMap env, String key, String target) {
    return env.get(key) != null && ClusterBinder.onKubernetes(p, env, key, target);
  }

  private static String context(Problems p, YamlMap env) {
    String context = env.string("context");
    if (context != null && (context.isBlank() || context.chars().anyMatch(Character::isISOControl))) {
      p.error(env.get("context"), env.path("context"), context.isBlank() ? "the context name is empty"
              : "the context name holds a line break or control character",
          "write the name of a context in your kubeconfig (`kubectl config get-contexts` lists them), "
              + "or remove `context:` to use the current one");
      return null;
    }
    return context;
  }

  /** {@code prometheus: http://…} or {@code prometheus: { url, metrics, requests, buckets }}. */
  private static PrometheusSpec prometheus(Problems p, YamlMap env) {
    Node n = env.get("prometheus");
    if (n instanceof ScalarNode) {
      URI url = url(p, n, env.path("prometheus"));
      return url == null ? null : new PrometheusSpec(url);
    }
    YamlMap m = env.map("prometheus", ModelKeys.PROMETHEUS,
        "write its URL, e.g. `prometheus: " + URL_EXAMPLE + "`, or `prometheus: { url: " + URL_EXAMPLE
            + ", metrics: ingress-nginx }`");
    if (m == null) {
      return null;
    }
    Node u = m.require("url", "add `url: " + URL_EXAMPLE + "`, the base URL of its HTTP API");
    URI url = u == null ? null : url(p, u, m.path("url"));
    String metrics = m.get("metrics") == null ? PrometheusSpec.MICROMETER
        : Scalars.choice(p, m.get("metrics"), m.path("metrics"), METRICS);
    String requests = template(p, m, "requests");
    String buckets = template(p, m, "buckets");
    boolean broken = (m.get("requests") != null && requests == null) || (m.get("buckets") != null && buckets == null);
    return url == null || metrics == null || broken ? null : new PrometheusSpec(url, metrics, requests, buckets);
  }

  /** An absolute http(s) URL with a host and nothing after its path; a trailing {@code /} is dropped. */
  private static URI url(Problems p, Node n, String path) {
    String text = Scalars.string(p, n, path);
    if (text == null || text.contains("${")) { // a `${…}` is reported as never expanded
      return null;
    }
    String t = text.strip();
    String hint = "write the base URL of its HTTP API, e.g. `" + URL_EXAMPLE + "`";
    URI uri;
    try {
      uri = new URI(t);
    } catch (URISyntaxException e) {
      p.error(n, path, "invalid URL `" + Scalars.abbreviate(t) + "`: " + e.getReason(), hint);
      return null;
    }
    String problem;
    String fix = hint;
    if (!t.contains("://") || uri.getScheme() == null) {
      problem = "expected an http:// or https:// URL, found `" + Scalars.abbreviate(t) + "`";
      fix = t.isEmpty() || !Character.isLetterOrDigit(t.charAt(0)) ? hint
          : "write `http://" + Scalars.abbreviate(t) + "` (or https://)";
    } else if (!uri.getScheme().equalsIgnoreCase("http") && !uri.getScheme().equalsIgnoreCase("https")) {
      problem = "unsupported URL scheme `" + Scalars.abbreviate(uri.getScheme()) + "`";
      fix = "Prometheus is read over HTTP: " + hint;
    } else if (uri.getRawUserInfo() != null) {
      // the URL is shown in status and errors; a password in it would be printed
      problem = "the URL holds credentials";
      fix = "remove `" + Scalars.abbreviate(uri.getRawUserInfo()) + "@`; Slipway reads Prometheus without "
          + "credentials (reach it through `kubectl port-forward` or an internal address)";
    } else if (uri.getHost() == null) {
      problem = "the URL has no valid host name";
      fix = hint;
    } else if (uri.getPort() > 65535) {
      problem = "port " + uri.getPort() + " is out of range";
      fix = "use a port from 1 to 65535, e.g. 9090";
    } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      problem = "the URL has a " + (uri.getRawQuery() != null ? "query (`?…`)" : "fragment (`#…`)");
      fix = "remove it; " + hint;
    } else {
      String base = t.endsWith("/") ? t.replaceAll("/+$", "") : t;
      return URI.create(base);
    }
    p.error(n, path, problem, fix);
    return null;
  }

  /** A PromQL template: not empty, placeholders only {@code {{namespace}}} and {@code {{service}}}. */
  private static String template(Problems p, YamlMap m, String key) {
    Node n = m.get(key);
    String text = n == null ? null : Scalars.string(p, n, m.path(key));
    if (text == null) {
      return null;
    }
    if (text.isBlank()) {
      p.error(n, m.path(key), "the query is empty", "write a PromQL expression, or remove `" + key
          + ":` to use the default query of `metrics`");
      return null;
    }
    boolean ok = true;
    Matcher matcher = MetricQuery.PLACEHOLDER.matcher(text);
    while (matcher.find()) {
      String word = matcher.group(1);
      if (!PLACEHOLDERS.contains(word)) {
        String close = Suggest.closest(word, PLACEHOLDERS);
        p.error(p.inScalar((ScalarNode) n, matcher.start()), m.path(key),
            "unknown placeholder `" + Scalars.abbreviate(matcher.group()) + "`",
            close != null ? "did you mean `{{" + close + "}}`?" : "use `{{namespace}}` or `{{service}}`",
            close == null ? null : Fixes.replaceInScalar(ModelFix.Kind.PLACEHOLDER, (ScalarNode) n,
                matcher.start(), matcher.end() - matcher.start(), "{{" + close + "}}"));
        ok = false;
      }
    }
    return ok ? text : null;
  }

  /** {@code gitops: { repo, branch, path }}; a relative local {@code repo} is taken from the model's directory. */
  private static GitOpsSpec gitops(Problems p, YamlMap env, String environment) {
    YamlMap g = env.map("gitops", ModelKeys.GITOPS,
        "write e.g. `gitops: { repo: \"git@github.com:acme/deploy.git\", branch: main, path: deploy/" + environment
            + " }`");
    if (g == null) {
      return null;
    }
    Node r = g.require("repo", "add `repo:`, the repository's URL (e.g. `git@github.com:acme/deploy.git`) or path");
    String repo = r == null ? null : repo(p, r, g.path("repo"));
    String branch = g.get("branch") == null ? "main" : branch(p, g);
    String dir = g.get("path") == null ? "deploy/" + environment : directory(p, g, environment);
    return repo == null || branch == null || dir == null ? null : new GitOpsSpec(repo, branch, dir);
  }

  private static String repo(Problems p, Node n, String path) {
    String repo = Scalars.string(p, n, path);
    if (repo == null || repo.contains("${")) {
      return null;
    }
    String t = repo.strip();
    if (t.isEmpty()) {
      p.error(n, path, "the repository is empty", "write its URL (e.g. `git@github.com:acme/deploy.git`) or path");
      return null;
    }
    if (URL_FORM.matcher(t).matches() || SCP_FORM.matcher(t).matches()) {
      return t;
    }
    if (t.startsWith("~")) {
      p.error(n, path, "`~` is not expanded here", "write the full path, e.g. `/home/me/deploy.git`, or a path "
          + "relative to the model's directory");
      return null;
    }
    // commands run from anywhere with -f: a path means the same thing whatever the working directory
    try {
      return p.file().toAbsolutePath().normalize().resolveSibling(t).normalize().toString();
    } catch (InvalidPathException e) {
      p.error(n, path, "invalid path `" + Scalars.abbreviate(t) + "`: " + e.getReason(),
          "write the repository's URL or the path of a local clone");
      return null;
    }
  }

  /** A branch name git accepts ({@code git check-ref-format --branch}), in short. */
  private static String branch(Problems p, YamlMap g) {
    String branch = g.string("branch");
    if (branch == null) {
      return null;
    }
    boolean bad = branch.isEmpty() || branch.startsWith("-") || branch.startsWith("/") || branch.endsWith("/")
        || branch.endsWith(".") || branch.endsWith(".lock") || branch.contains("..") || branch.contains("//")
        || branch.contains("@{") || branch.equals("@") || branch.contains("/.") || branch.startsWith(".")
        || branch.chars().anyMatch(c -> c <= ' ' || c == 0x7f || "~^:?*[\\".indexOf(c) >= 0);
    if (bad) {
      p.error(g.get("branch"), g.path("branch"), "invalid branch name `" + Scalars.abbreviate(branch) + "`",
          "write a branch name git accepts, e.g. `main` or `deploy/staging` (no spaces, `..`, `~^:?*[\\`)");
      return null;
    }
    return branch;
  }

  /** A directory inside the repository: relative, never above its root. */
  private static String directory(Problems p, YamlMap g, String environment) {
    String dir = g.string("path");
    if (dir == null) {
      return null;
    }
    String raw = dir.strip();
    String t = raw.replaceAll("/+$", "");
    List<String> segments = List.of(t.split("/+"));
    String problem = raw.startsWith("/") || raw.startsWith("\\") || raw.matches("[A-Za-z]:[/\\\\].*")
        ? "the path is absolute" : t.isEmpty() ? "the path is empty"
            : segments.contains("..") ? "the path leaves the repository (`..`)"
                : segments.contains(".git") ? "the path is inside `.git`" : null;
    if (problem != null) {
      p.error(g.get("path"), g.path("path"), problem, "write a directory inside the repository, e.g. `deploy/"
          + environment + "`, or `.` for its root");
      return null;
    }
    return t;
  }
}
