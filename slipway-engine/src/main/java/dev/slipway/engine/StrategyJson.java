package dev.slipway.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.StrategyKind;
import dev.slipway.model.StrategySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a strategy with its deployment, so a control plane that restarts mid-rollout follows the
 * plan the rollout began with even if the model file changed meanwhile.
 */
final class StrategyJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private StrategyJson() {}

  static String write(StrategySpec strategy) {
    ObjectNode n = F.objectNode();
    n.put("id", strategy.id());
    switch (strategy) {
      case StrategySpec.Rolling r -> n.put("maxSurge", r.maxSurge()).put("maxUnavailable", r.maxUnavailable());
      case StrategySpec.BlueGreen b -> {
        n.put("rollbackWindowMs", b.rollbackWindow().toMillis());
        ArrayNode smoke = n.putArray("smoke");
        b.smoke().forEach(c -> smoke.addObject().put("name", c.name()).put("path", c.path()).put("expect", c.expect()));
      }
      case StrategySpec.Canary c -> {
        ArrayNode steps = n.putArray("steps");
        for (CanaryStep step : c.steps()) {
          ObjectNode s = steps.addObject();
          switch (step) {
            case CanaryStep.SetWeight w -> s.put("setWeight", w.weight());
            case CanaryStep.Pause p -> s.put("pauseMs", p.duration() == null ? -1 : p.duration().toMillis());
            case CanaryStep.Analysis a -> s.set("analysis", AnalysisJson.write(a));
          }
        }
      }
    }
    return n.toString();
  }

  static StrategySpec read(String json) {
    try {
      JsonNode n = ReleaseConfig.JSON.readTree(json);
      String id = n.get("id").asText();
      StrategyKind kind = StrategyKind.byName(id).orElseThrow(() -> new IllegalStateException("unknown strategy " + id));
      return switch (kind) {
        case ROLLING -> new StrategySpec.Rolling(n.get("maxSurge").asInt(), n.get("maxUnavailable").asInt());
        case BLUE_GREEN -> {
          List<StrategySpec.SmokeCheck> smoke = new ArrayList<>();
          n.path("smoke").forEach(c -> smoke.add(new StrategySpec.SmokeCheck(c.get("name").asText(),
              c.get("path").asText(), c.get("expect").asInt())));
          yield new StrategySpec.BlueGreen(Duration.ofMillis(n.get("rollbackWindowMs").asLong()), smoke);
        }
        case CANARY -> {
          List<CanaryStep> steps = new ArrayList<>();
          for (JsonNode s : n.path("steps")) {
            if (s.has("setWeight")) {
              steps.add(new CanaryStep.SetWeight(s.get("setWeight").asInt()));
            } else if (s.has("pauseMs")) {
              long ms = s.get("pauseMs").asLong();
              steps.add(new CanaryStep.Pause(ms < 0 ? null : Duration.ofMillis(ms)));
            } else {
              steps.add(AnalysisJson.read(s.get("analysis")));
            }
          }
          yield new StrategySpec.Canary(steps);
        }
      };
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable strategy: " + e.getMessage(), e);
    }
  }
}
