package dev.slipway.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.MetricQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The limits of an analysis step as JSON (part of a stored strategy). */
final class AnalysisJson {
  private AnalysisJson() {}

  static ObjectNode write(CanaryStep.Analysis a) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (a.maxErrorRate() != null) {
      n.put("maxErrorRate", a.maxErrorRate());
    }
    if (a.maxLatencyP95() != null) {
      n.put("maxLatencyP95Ms", a.maxLatencyP95().toMillis());
    }
    if (a.maxLatencyP99() != null) {
      n.put("maxLatencyP99Ms", a.maxLatencyP99().toMillis());
    }
    n.put("minRequests", a.minRequests());
    n.put("timeoutMs", a.timeout().toMillis());
    var queries = n.putArray("queries");
    for (MetricQuery q : a.queries()) {
      ObjectNode qn = queries.addObject().put("name", q.name()).put("query", q.query());
      if (q.max() != null) {
        qn.put("max", q.max());
      }
      if (q.min() != null) {
        qn.put("min", q.min());
      }
    }
    return n;
  }

  static CanaryStep.Analysis read(JsonNode n) {
    return new CanaryStep.Analysis(
        n.has("maxErrorRate") ? n.get("maxErrorRate").asDouble() : null,
        n.has("maxLatencyP95Ms") ? Duration.ofMillis(n.get("maxLatencyP95Ms").asLong()) : null,
        n.has("maxLatencyP99Ms") ? Duration.ofMillis(n.get("maxLatencyP99Ms").asLong()) : null,
        n.get("minRequests").asInt(),
        Duration.ofMillis(n.get("timeoutMs").asLong()),
        queries(n.path("queries")));
  }

  private static List<MetricQuery> queries(JsonNode array) {
    List<MetricQuery> out = new ArrayList<>();
    for (JsonNode q : array) {
      out.add(new MetricQuery(q.get("name").asText(), q.get("query").asText(),
          q.has("max") ? q.get("max").asDouble() : null, q.has("min") ? q.get("min").asDouble() : null));
    }
    return out;
  }
}
