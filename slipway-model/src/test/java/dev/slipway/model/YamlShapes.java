package dev.slipway.model;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.List;

/** Builds YAML-like model text from fuzzer data: real keys, real value shapes, random structure. */
final class YamlShapes {
  private static final List<String> KEYS = keys();
  private static final List<String> VALUES = List.of("shop", "api", "db", "cache", "web", "x", "~", "", "{}", "[]",
      "8080", "0", "-1", "70000", "1.5", "._", "yes", "NO", "30s", "1m30s", "500ms", "30", "1d", "500m", "0.5",
      "512Mi", "1.5Gi", "512m", "1%", "0.01", "5", "150%", "healthy", "started", "postgres", "redis", "prometheus",
      "embedded", "external", "local", "kubernetes", "/health", "health", "env:KEY", "file:x", "${resources.db.jdbcUrl}",
      "\"${resources.db.url}\"", "${services.api.url}", "'${secrets.k}'", "${resources.dbb.url}", "${x.y}",
      "${services.api}", "${resources.db.url", "$${resources.a.b}", "*a", "&a", "&a x", "!!int x", "!!str 1", "<<",
      "|", ">", "\"\\q\"", "'", "\"", "#", "---", "? x", ": x", "\t", "- ", "[a, b", "{a: 1", "a: b: c");

  private YamlShapes() {}

  static String model(FuzzedDataProvider d) {
    StringBuilder sb = new StringBuilder(d.consumeBoolean() ? "name: shop\n" : "");
    int lines = d.consumeInt(0, 60);
    for (int i = 0; i < lines && d.remainingBytes() > 0; i++) {
      sb.append("  ".repeat(d.consumeInt(0, 6)));
      switch (d.consumeInt(0, 6)) {
        case 0 -> sb.append(key(d)).append(':');
        case 1 -> sb.append(key(d)).append(": ").append(value(d));
        case 2 -> sb.append("- ").append(value(d));
        case 3 -> sb.append("- ").append(key(d)).append(": ").append(value(d));
        case 4 -> sb.append(key(d)).append(": { ").append(key(d)).append(": ").append(value(d)).append(", ")
            .append(key(d)).append(": ").append(value(d)).append(" }");
        case 5 -> sb.append(key(d)).append(": [").append(value(d)).append(", ").append(value(d)).append(']');
        default -> sb.append(d.consumeString(20));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String key(FuzzedDataProvider d) {
    return d.consumeInt(0, 9) == 0 ? d.consumeString(8) : d.pickValue(KEYS);
  }

  private static String value(FuzzedDataProvider d) {
    return d.consumeInt(0, 9) == 0 ? d.consumeString(12) : d.pickValue(VALUES);
  }

  private static List<String> keys() {
    List<String> keys = new ArrayList<>();
    ModelKeys.bySchemaDefinition().values().forEach(keys::addAll);
    keys.addAll(List.of("api", "web", "worker", "db", "cache", "dev", "staging", "DATABASE_URL", "x-a", "<<"));
    return List.copyOf(keys);
  }
}
