package dev.slipway.engine;

import dev.slipway.analysis.PromQueries;
import dev.slipway.analysis.PrometheusMetricSource;
import dev.slipway.analysis.RouterMetricSource;
import dev.slipway.engine.runtime.Traffic;
import java.net.URI;

/**
 * Which analyst judges canaries: the router's own metrics when services are routed, a Prometheus of
 * the model when it has one (it also runs the steps' PromQL queries), or the one a test gives, which
 * always wins. The choice is written to {@link EngineContext#analyst} as the stack starts.
 */
final class AnalystChoice {
  /** Judges canaries instead of the router's or Prometheus's metrics (tests); null for those. */
  private final Analyst override;

  AnalystChoice(Analyst override) {
    this.override = override;
  }

  /**
   * Once the traffic layer is known: its metrics, unless a test chose. The address is confirmed before
   * every scrape ({@link Traffic#confirmedMetricsUrl()}), since the scrape carries the admin token.
   */
  void routed(EngineContext ctx, Traffic traffic) {
    Traffic.MetricsEndpoint m = traffic.metrics();
    String auth = m.headers().getOrDefault("Authorization", "");
    String token = auth.startsWith("Bearer ") ? auth.substring(7) : auth;
    if (override == null) {
      ctx.analyst = new MetricsAnalyst(new RouterMetricSource(() -> base(traffic.confirmedMetricsUrl()), token), null);
    }
  }

  private static URI base(String url) {
    return URI.create(url.endsWith("/metrics") ? url.substring(0, url.length() - 8) : url);
  }

  /** Before anything starts: a test's analyst, if any. */
  void initial(EngineContext ctx) {
    if (override != null) {
      ctx.analyst = override;
    }
  }

  /** A Prometheus of the model is ready at {@code url}: canary analysis reads it, unless a test chose. */
  void prometheus(EngineContext ctx, String url) {
    if (override == null) {
      URI base = URI.create(url);
      ctx.analyst = new MetricsAnalyst(new PrometheusMetricSource(base), new PromQueries(base));
    }
  }
}
