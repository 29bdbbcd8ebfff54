package dev.slipway.analysis;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects counter values per version and backend, from router text or from PromQL results, into a
 * {@link Sample}. Values that are not finite (NaN, ±Inf) are not counts and are left out. Public for
 * the cluster's metric source (slipway-kubernetes).
 */
public final class SampleBuilder {
  /** The router's request counter; {@code code} is 1xx … 5xx, or {@code error} for proxy failures. */
  static final String REQUESTS = "slipway_router_requests_total";
  static final String BUCKETS = "slipway_router_request_duration_seconds_bucket";

  private final Map<String, Map<String, Counts>> byVersion = new LinkedHashMap<>();

  private static final class Counts {
    long requests;
    long errors;
    final TreeMap<Double, Long> buckets = new TreeMap<>();
  }

  /** Whether a {@code code} label value counts as an error: 5xx, or a failure of the proxy itself. */
  public static boolean isError(String code) {
    return "5xx".equals(code) || "error".equals(code) || (code != null && code.length() == 3 && code.charAt(0) == '5');
  }

  public void requests(String version, String backend, double value, boolean error) {
    if (Double.isFinite(value) && value >= 0) {
      Counts c = counts(version, backend);
      c.requests += Math.round(value);
      if (error) {
        c.errors += Math.round(value);
      }
    }
  }

  public void bucket(String version, String backend, double le, double value) {
    if (Double.isFinite(value) && value >= 0 && !Double.isNaN(le)) {
      counts(version, backend).buckets.merge(le, Math.round(value), Long::sum);
    }
  }

  public Sample build(Instant at) {
    Map<String, Map<String, VersionCounters>> out = new LinkedHashMap<>();
    byVersion.forEach((version, backends) -> {
      Map<String, VersionCounters> m = new LinkedHashMap<>();
      backends.forEach((backend, c) -> {
        double[] bounds = c.buckets.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        long[] cumulative = c.buckets.values().stream().mapToLong(Long::longValue).toArray();
        for (int i = 1; i < cumulative.length; i++) {
          cumulative[i] = Math.max(cumulative[i], cumulative[i - 1]); // keep it monotonic whatever was read
        }
        m.put(backend, new VersionCounters(c.requests, c.errors, bounds, cumulative));
      });
      out.put(version, m);
    });
    return Sample.ofBackends(at, out);
  }

  private Counts counts(String version, String backend) {
    return byVersion.computeIfAbsent(version == null ? "" : version, v -> new LinkedHashMap<>())
        .computeIfAbsent(backend == null ? "" : backend, b -> new Counts());
  }
}
