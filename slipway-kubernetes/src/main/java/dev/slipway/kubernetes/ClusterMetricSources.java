package dev.slipway.kubernetes;

import dev.slipway.analysis.MetricSource;
import dev.slipway.model.PrometheusSpec;
import java.time.Clock;
import java.time.Duration;

/**
 * Where a canary's analysis reads its numbers on a cluster: the environment's Prometheus. An environment
 * without {@code prometheus:} has none, and a canary with analysis steps is refused there before it
 * starts ({@link #require}): the local engine never passes an analysis without data, and a canary that
 * could only ever end inconclusive would just pause at every analysis step.
 */
final class ClusterMetricSources {
  private ClusterMetricSources() {}

  static MetricSource of(RunnerContext ctx) throws KubernetesException {
    PrometheusSpec prometheus = require(ctx, null);
    return new ClusterMetricSource(prometheus, ctx.namespace(), Duration.ofSeconds(5), Clock.systemUTC());
  }

  /** The environment's Prometheus; refuses (exit 2) without one, naming the service whose analysis needs it. */
  static PrometheusSpec require(RunnerContext ctx, String service) throws KubernetesException {
    PrometheusSpec p = ctx.env.cluster().prometheus();
    if (p == null) {
      throw new KubernetesException((service == null ? "canary analysis" : "the canary of " + service
          + " has analysis steps, and they") + " need metrics, but environment " + ctx.env.name()
          + " has no `prometheus:`", ctx.cluster.context(), ctx.namespace(),
          "add `prometheus: http://PROMETHEUS:9090` to environments." + ctx.env.name() + " in "
              + ctx.app.file().getFileName() + " (see docs/kubernetes.md, Analysis), or remove the analysis steps "
              + "from the canary for this environment",
          KubernetesException.BAD_INPUT);
    }
    return p;
  }
}
