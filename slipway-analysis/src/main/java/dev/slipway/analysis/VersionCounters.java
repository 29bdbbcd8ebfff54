package dev.slipway.analysis;

import java.util.Arrays;

/**
 * Counters of one version (or one backend) of a service: cumulative since the router started, or a
 * window's increase when taken from {@link Sample#minus(Sample)}.
 *
 * @param requests          every request answered, whatever the outcome
 * @param errors            requests answered 5xx or failed by the proxy itself (no backend, connect
 *                          failure after retries, timeout)
 * @param bounds            the latency histogram's upper bounds in seconds, ascending, usually ending
 *                          with +Inf; empty when there is no histogram
 * @param cumulativeBuckets per bound, the requests that took at most that long (same length as bounds)
 */
public record VersionCounters(long requests, long errors, double[] bounds, long[] cumulativeBuckets) {
  public static final VersionCounters EMPTY = new VersionCounters(0, 0, new double[0], new long[0]);

  public VersionCounters {
    if (bounds.length != cumulativeBuckets.length) {
      throw new IllegalArgumentException(bounds.length + " bounds but " + cumulativeBuckets.length + " buckets");
    }
    bounds = bounds.clone();
    cumulativeBuckets = cumulativeBuckets.clone();
  }

  @Override
  public double[] bounds() {
    return bounds.clone();
  }

  @Override
  public long[] cumulativeBuckets() {
    return cumulativeBuckets.clone();
  }

  /** Errors per request, or NaN without requests. */
  public double errorRate() {
    return requests == 0 ? Double.NaN : (double) errors / requests;
  }

  /** Requests the histogram saw (its +Inf bucket). */
  public long observations() {
    return cumulativeBuckets.length == 0 ? 0 : cumulativeBuckets[cumulativeBuckets.length - 1];
  }

  /**
   * The {@code q}-quantile of latency in seconds, interpolating linearly inside the bucket (as
   * Prometheus' {@code histogram_quantile} does; the first bucket starts at 0, and a quantile in the
   * +Inf bucket is reported as the highest finite bound). NaN without observations.
   */
  public double quantile(double q) {
    long n = observations();
    if (n == 0) {
      return Double.NaN;
    }
    double rank = q * n;
    double lower = 0;
    long below = 0;
    for (int i = 0; i < bounds.length; i++) {
      if (cumulativeBuckets[i] >= rank && cumulativeBuckets[i] > below) {
        if (Double.isInfinite(bounds[i])) {
          return i == 0 ? Double.NaN : bounds[i - 1];
        }
        return lower + (bounds[i] - lower) * (rank - below) / (cumulativeBuckets[i] - below);
      }
      lower = bounds[i];
      below = cumulativeBuckets[i];
    }
    return lower;
  }

  /**
   * How many observations took longer than {@code seconds}, interpolating linearly inside the bucket
   * that holds it; everything in the +Inf bucket counts as slower.
   */
  public double countSlowerThan(double seconds) {
    double lower = 0;
    long below = 0;
    for (int i = 0; i < bounds.length; i++) {
      if (Double.isInfinite(bounds[i])) {
        break;
      }
      if (seconds <= bounds[i]) {
        double within = bounds[i] > lower ? (seconds - lower) / (bounds[i] - lower) : 1;
        return observations() - (below + (cumulativeBuckets[i] - below) * Math.max(0, within));
      }
      lower = bounds[i];
      below = cumulativeBuckets[i];
    }
    return observations() - below;
  }

  /** The sum of two sets of counters; histograms add up on the bounds both have. */
  public VersionCounters plus(VersionCounters other) {
    if (other.bounds.length == 0 || bounds.length == 0) {
      VersionCounters h = bounds.length == 0 ? other : this;
      return new VersionCounters(requests + other.requests, errors + other.errors, h.bounds, h.cumulativeBuckets);
    }
    double[] b = Arrays.stream(bounds).filter(x -> Arrays.binarySearch(other.bounds, x) >= 0).toArray();
    long[] c = new long[b.length];
    for (int i = 0; i < b.length; i++) {
      c[i] = cumulativeBuckets[Arrays.binarySearch(bounds, b[i])]
          + other.cumulativeBuckets[Arrays.binarySearch(other.bounds, b[i])];
    }
    return new VersionCounters(requests + other.requests, errors + other.errors, b, c);
  }

  /**
   * The increase since {@code earlier}. A counter that went down means the router restarted and
   * counted again from 0, so these counters are then themselves the increase since the restart.
   */
  public VersionCounters minus(VersionCounters earlier) {
    boolean histogramKnown = earlier.bounds.length > 0;
    if (requests < earlier.requests || errors < earlier.errors
        || (histogramKnown && !Arrays.equals(bounds, earlier.bounds))) {
      return this;
    }
    long[] c = cumulativeBuckets.clone();
    for (int i = 0; histogramKnown && i < c.length; i++) {
      c[i] -= earlier.cumulativeBuckets[i];
      if (c[i] < 0) {
        return this;
      }
    }
    return new VersionCounters(requests - earlier.requests, errors - earlier.errors, bounds, c);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionCounters v && requests == v.requests && errors == v.errors
        && Arrays.equals(bounds, v.bounds) && Arrays.equals(cumulativeBuckets, v.cumulativeBuckets);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(requests) * 31 + Long.hashCode(errors) * 17 + Arrays.hashCode(cumulativeBuckets);
  }

  @Override
  public String toString() {
    return "VersionCounters[requests=" + requests + ", errors=" + errors + ", bounds=" + Arrays.toString(bounds)
        + ", cumulativeBuckets=" + Arrays.toString(cumulativeBuckets) + "]";
  }
}
