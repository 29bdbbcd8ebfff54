package dev.slipway.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** {@code secrets: { NAME: "env:VAR" | "file:PATH" }}. Only where the value comes from; never the value. */
final class SecretBinder {
  private SecretBinder() {}

  static Map<String, SecretSpec> bind(Binding b, YamlMap app) {
    Map<String, SecretSpec> out = new LinkedHashMap<>();
    YamlMap secrets = app.map("secrets", null, "write one `NAME: env:VARIABLE` or `NAME: file:PATH` per line");
    if (secrets == null) {
      return out;
    }
    Problems p = b.problems;
    for (Map.Entry<String, NodeTuple> e : secrets.entries()) {
      String name = e.getKey();
      String path = secrets.path(name);
      Node key = e.getValue().getKeyNode();
      b.secretKeys.put(name, key);
      if (!Names.SECRET.matcher(name).matches()) {
        p.error(key, path, "invalid secret name `" + Scalars.abbreviate(name) + "`",
            "use letters, digits, `_` and `-`, starting with a letter");
        continue;
      }
      Node value = secrets.require(name, "write `env:VARIABLE` or `file:PATH`");
      String text = value == null ? null : Scalars.string(p, value, path);
      if (text == null) {
        continue;
      }
      SecretSpec.Source source = source(p, value, path, text.strip());
      if (source != null) {
        out.put(name, new SecretSpec(name, source));
      }
    }
    return out;
  }

  private static SecretSpec.Source source(Problems p, Node at, String path, String text) {
    if (text.startsWith("env:")) {
      String variable = text.substring(4).strip();
      if (Names.ENV_VAR.matcher(variable).matches()) {
        return new SecretSpec.FromEnv(variable);
      }
      p.error(at, path, "invalid environment variable name `" + Scalars.abbreviate(variable) + "`",
          "write `env:` and a name of letters, digits and `_`, e.g. `env:STRIPE_KEY`");
      return null;
    }
    if (text.startsWith("file:")) {
      String file = text.substring(5).strip();
      if (!file.isEmpty()) {
        return new SecretSpec.FromFile(file);
      }
      p.error(at, path, "`file:` has no path", "write e.g. `file:secrets/db-password`");
      return null;
    }
    boolean variable = Names.ENV_VAR.matcher(text).matches();
    p.error(at, path, "expected `env:VARIABLE` or `file:PATH`, found `" + Scalars.abbreviate(text) + "`",
        variable ? "write `env:" + text + "` to read the environment variable `" + text + "`"
            : "write `env:VARIABLE` or `file:PATH`",
        variable ? Fixes.replace(ModelFix.Kind.SECRET_SOURCE, at, "env:" + text) : null);
    return null;
  }
}
