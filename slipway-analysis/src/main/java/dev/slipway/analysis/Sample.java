package dev.slipway.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counters of every version of one service at one moment: cumulative when read from a
 * {@link MetricSource}, a window's increase after {@link #minus(Sample)}.
 *
 * @param at       when the counters were read
 * @param versions per version, the sum over its backends
 * @param backends per version, per backend (router backend id); {@link #minus(Sample)} works per
 *                 backend, so that one backend disappearing or restarting is not mistaken for the
 *                 whole version restarting
 */
public record Sample(Instant at, Map<String, VersionCounters> versions, Map<String, Map<String, VersionCounters>> backends) {

  public Sample {
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    Map<String, Map<String, VersionCounters>> copy = new LinkedHashMap<>();
    backends.forEach((v, b) -> copy.put(v, Collections.unmodifiableMap(new LinkedHashMap<>(b))));
    backends = Collections.unmodifiableMap(copy);
  }

  /** A sample without per-backend detail: each version counts as one backend. */
  public Sample(Instant at, Map<String, VersionCounters> versions) {
    this(at, versions, single(versions));
  }

  /** A sample from per-backend counters; the per-version sums are computed. */
  public static Sample ofBackends(Instant at, Map<String, Map<String, VersionCounters>> backends) {
    Map<String, VersionCounters> versions = new LinkedHashMap<>();
    backends.forEach((v, b) -> versions.put(v, b.values().stream().reduce(VersionCounters.EMPTY, VersionCounters::plus)));
    return new Sample(at, versions, backends);
  }

  /** The counters of {@code version}, or {@link VersionCounters#EMPTY} when it has none. */
  public VersionCounters version(String version) {
    return versions.getOrDefault(version, VersionCounters.EMPTY);
  }

  /**
   * What happened between {@code earlier} and this sample, per version. Each backend's counters
   * are compared with its own earlier ones: a backend new since then counts in full, one whose
   * counters went down was restarted (its counters are the increase since the restart), and one
   * that is gone contributes nothing. Compare samples from the same source.
   */
  public Sample minus(Sample earlier) {
    Map<String, Map<String, VersionCounters>> delta = new LinkedHashMap<>();
    backends.forEach((version, now) -> {
      Map<String, VersionCounters> before = earlier.backends.getOrDefault(version, Map.of());
      Map<String, VersionCounters> d = new LinkedHashMap<>();
      now.forEach((backend, c) -> d.put(backend, before.containsKey(backend) ? c.minus(before.get(backend)) : c));
      delta.put(version, d);
    });
    return ofBackends(at, delta);
  }

  /** The time from {@code earlier} to this sample; zero if the clock went backwards. */
  public Duration since(Sample earlier) {
    Duration d = Duration.between(earlier.at, at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Map<String, Map<String, VersionCounters>> single(Map<String, VersionCounters> versions) {
    Map<String, Map<String, VersionCounters>> out = new LinkedHashMap<>();
    versions.forEach((v, c) -> out.put(v, Map.of("", c)));
    return out;
  }
}
