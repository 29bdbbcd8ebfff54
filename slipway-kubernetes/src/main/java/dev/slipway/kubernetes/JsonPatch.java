package dev.slipway.kubernetes;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6902 JSON patch, built op by op. A {@code test} op first makes the patch conditional: the server
 * applies it only if the part Slipway read is unchanged, in the same request (no lost update, one write).
 */
final class JsonPatch {
  static final PatchContext CONTEXT = PatchContext.of(PatchType.JSON);

  private final List<Map<String, Object>> ops = new ArrayList<>();

  JsonPatch test(String path, Object value) {
    return op("test", path, value);
  }

  JsonPatch replace(String path, Object value) {
    return op("replace", path, value);
  }

  /** Adds or replaces an object member (RFC 6902 {@code add} replaces an existing member). */
  JsonPatch add(String path, Object value) {
    return op("add", path, value);
  }

  String json() {
    return ClusterObjects.SERIALIZATION.asJson(ops);
  }

  /** A JSON pointer segment: {@code slipway.dev/release} → {@code slipway.dev~1release}. */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private JsonPatch op(String op, String path, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", path);
    m.put("value", value);
    ops.add(m);
    return this;
  }
}
