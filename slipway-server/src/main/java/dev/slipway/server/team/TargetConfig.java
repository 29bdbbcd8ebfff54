package dev.slipway.server.team;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.model.AppSpec;
import dev.slipway.model.SecretNames;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.Template;
import dev.slipway.plan.promotion.ConfigDiff;
import dev.slipway.server.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A service's configuration in an environment as a promotion compares it: its environment variables as the
 * model writes them there (references kept as written, never resolved), in the form the server records with
 * each release. A secret-named or sensitive variable reads {@link ConfigDiff#MASK} on both sides, so its value
 * is never stored or shown; a change of it is therefore not listed (decision 0017).
 */
final class TargetConfig {
  private TargetConfig() {}

  /** The service's configuration in {@code app} (a model with its environment's overlay applied). */
  static Map<String, String> of(AppSpec app, String service) {
    ServiceSpec s = app.services().get(service);
    Map<String, String> out = new TreeMap<>();
    if (s == null) {
      return out;
    }
    for (Map.Entry<String, Template> e : s.env().entrySet()) {
      String raw = e.getValue().raw();
      boolean hidden = e.getValue().sensitive() || SecretNames.looksSecret(e.getKey());
      out.put(e.getKey(), hidden ? ConfigDiff.MASK : SecretNames.maskUrlPassword(raw));
    }
    return out;
  }

  /** {@link #of} as the JSON object a recorded release keeps ({@code server_releases.config_json}). */
  static String json(AppSpec app, String service) {
    try {
      return Json.MAPPER.writeValueAsString(of(app, service));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A recorded configuration read back: a JSON object of strings (or one whose {@code env} is), else empty
   * (a release recorded without its configuration: every key then reads as added).
   */
  static Map<String, String> parse(String json) {
    Map<String, String> out = new TreeMap<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(json);
      if (n.has("env") && n.get("env").isObject()) {
        n = n.get("env");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isValueNode()) {
          out.put(e.getKey(), e.getValue().asText());
        }
      }
    } catch (JsonProcessingException e) {
      return out;
    }
    return out;
  }

  /** Whether a key's value is shown masked in a promotion's changes. */
  static boolean isSecretKey(String key) {
    return SecretNames.looksSecret(key);
  }
}
