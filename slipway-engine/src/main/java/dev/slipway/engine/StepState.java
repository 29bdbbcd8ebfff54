package dev.slipway.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a rollout must remember across a control-plane restart, stored with the deployment: the
 * weights it applied, when a timed pause ends, how many candidate instances it started, whether the
 * candidate was promoted, a promote asked for during the current step, and the rollback decided.
 */
final class StepState {
  Map<String, Integer> weights = new LinkedHashMap<>();
  long pauseUntil;
  int launched;
  boolean promoted;
  /** {@code slipway promote} asked for during the current step; {@code promoteFull} for {@code --full}. */
  boolean promoteRequested;
  boolean promoteFull;
  /** The state a decided rollback ends in ({@code ROLLED_BACK}, {@code ABORTED}); null while none is decided. */
  String verdict;
  /** The strategy the rollout follows, fixed when it starts (the model may change meanwhile). */
  String strategyJson;

  String toJson() {
    try {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("weights", weights);
      m.put("pauseUntil", pauseUntil);
      m.put("launched", launched);
      m.put("promoted", promoted);
      m.put("promoteRequested", promoteRequested);
      m.put("promoteFull", promoteFull);
      m.put("verdict", verdict);
      m.put("strategy", strategyJson);
      return ReleaseConfig.JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static StepState fromJson(String json) {
    StepState s = new StepState();
    if (json == null || json.isBlank()) {
      return s;
    }
    try {
      var n = ReleaseConfig.JSON.readTree(json);
      n.path("weights").fields().forEachRemaining(e -> s.weights.put(e.getKey(), e.getValue().asInt()));
      s.pauseUntil = n.path("pauseUntil").asLong();
      s.launched = n.path("launched").asInt();
      s.promoted = n.path("promoted").asBoolean();
      s.promoteRequested = n.path("promoteRequested").asBoolean();
      s.promoteFull = n.path("promoteFull").asBoolean();
      s.verdict = n.path("verdict").isTextual() ? n.path("verdict").asText() : null;
      s.strategyJson = n.path("strategy").isTextual() ? n.path("strategy").asText() : null;
      return s;
    } catch (JsonProcessingException e) {
      return s;
    }
  }
}
