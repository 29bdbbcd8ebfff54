package dev.slipway.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.Template;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a release runs besides its artifact: the command and the environment as written (references
 * unresolved — they are resolved again at each start, so a release never stores a secret), plus the
 * {@code --set} values it was deployed with. Stored with the release; a rollback restores it. Literal
 * values of secret-named variables are stored as references to kept secrets ({@link #keptApart}).
 *
 * @param run the shell command
 * @param env environment templates from the model at release time
 * @param set {@code --set KEY=VALUE} overrides (win over {@code env})
 */
record ReleaseConfig(String run, Map<String, String> env, Map<String, String> set) {
  static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  ReleaseConfig {
    env = new TreeMap<>(env);
    set = new TreeMap<>(set);
  }

  static ReleaseConfig of(ServiceSpec spec, Map<String, String> set) {
    Map<String, String> env = new LinkedHashMap<>();
    spec.env().forEach((k, v) -> env.put(k, v.raw()));
    return new ReleaseConfig(spec.run(), env, set);
  }

  /**
   * This configuration with the literal values of secret-named variables kept in the target's
   * secret store and referenced instead ({@link KeptSecrets}): what a release stores.
   */
  ReleaseConfig keptApart(dev.slipway.engine.runtime.Target target, dev.slipway.engine.runtime.SecretMasker masker)
      throws dev.slipway.engine.runtime.TargetException {
    return new ReleaseConfig(run, KeptSecrets.keep(env, target, masker), KeptSecrets.keep(set, target, masker));
  }

  /** Every variable as a template: {@code env}, then {@code set} on top. */
  Map<String, Template> templates() {
    Map<String, Template> all = new LinkedHashMap<>();
    env.forEach((k, v) -> all.put(k, Template.parse(v)));
    set.forEach((k, v) -> all.put(k, Template.parse(v)));
    return all;
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ReleaseConfig fromJson(String json) {
    try {
      return JSON.readValue(json, ReleaseConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable release config: " + e.getMessage(), e);
    }
  }
}
