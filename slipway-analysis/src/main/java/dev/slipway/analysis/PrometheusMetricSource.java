package dev.slipway.analysis;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The router's counters as scraped by Prometheus, read through PromQL: the same {@link Sample} as
 * {@link RouterMetricSource}, used when the model has a {@code prometheus} resource. Two queries per
 * sample, both at the same evaluation time.
 */
public final class PrometheusMetricSource implements MetricSource {
  public static final String ID = PrometheusApi.ID;

  private final PrometheusApi api;
  private final Clock clock;

  /** @param base Prometheus' address, e.g. {@code http://127.0.0.1:9090} */
  public PrometheusMetricSource(URI base) {
    this(base, Duration.ofSeconds(1), Clock.systemUTC());
  }

  public PrometheusMetricSource(URI base, Duration timeout, Clock clock) {
    this.api = new PrometheusApi(base, timeout);
    this.clock = clock;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Sample sample(String service) throws AnalysisException {
    Instant at = clock.instant();
    String selector = "{service=\"" + escape(service) + "\"}";
    SampleBuilder b = new SampleBuilder();
    for (PrometheusApi.Result r : api.query("sum by (version, backend, code) (" + SampleBuilder.REQUESTS + selector
        + ")", at)) {
      b.requests(r.labels().get("version"), r.labels().get("backend"), r.value(),
          SampleBuilder.isError(r.labels().get("code")));
    }
    for (PrometheusApi.Result r : api.query("sum by (version, backend, le) (" + SampleBuilder.BUCKETS + selector
        + ")", at)) {
      String le = r.labels().get("le");
      if (le != null) {
        try {
          b.bucket(r.labels().get("version"), r.labels().get("backend"), PrometheusText.number(le), r.value());
        } catch (IllegalArgumentException e) {
          continue; // a bound that is no number cannot be placed in the histogram
        }
      }
    }
    return b.build(at);
  }

  /** A PromQL double-quoted string's contents. */
  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
