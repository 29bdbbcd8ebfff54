package dev.slipway.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded traffic through a simulated router: per version a request rate, an error probability and
 * log-normal latencies, counted into the router's histogram buckets. Every 250 ms tick also draws
 * one latency factor shared by all versions (the host's noise: GC, neighbours).
 */
final class SimulatedTraffic {
  static final double[] BOUNDS = {.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10,
      Double.POSITIVE_INFINITY};

  private final SplittableRandom random;
  private final Map<String, Version> versions = new LinkedHashMap<>();
  private Instant now = Instant.EPOCH;
  private double sharedJitter = 0.15;

  /** One version's behaviour and counters. */
  static final class Version {
    double ratePerSecond;
    double errorRate;
    double medianSeconds;
    double sigma;
    long requests;
    long errors;
    final long[] buckets = new long[BOUNDS.length];
    double carry;
    Instant firstError;
  }

  SimulatedTraffic(long seed) {
    random = new SplittableRandom(seed);
  }

  SimulatedTraffic version(String name, double ratePerSecond, double errorRate, double medianMs, double sigma) {
    Version v = versions.computeIfAbsent(name, n -> new Version());
    v.ratePerSecond = ratePerSecond;
    v.errorRate = errorRate;
    v.medianSeconds = medianMs / 1000;
    v.sigma = sigma;
    return this;
  }

  SimulatedTraffic sharedJitter(double sigma) {
    this.sharedJitter = sigma;
    return this;
  }

  Instant now() {
    return now;
  }

  Version get(String name) {
    return versions.get(name);
  }

  /** Runs {@code d} of traffic. */
  void advance(Duration d) {
    double seconds = d.toNanos() / 1e9;
    double shared = Math.exp(sharedJitter * random.nextGaussian());
    for (Version v : versions.values()) {
      double expected = v.ratePerSecond * seconds + v.carry;
      long n = (long) expected;
      v.carry = expected - n;
      for (long i = 0; i < n; i++) {
        v.requests++;
        if (random.nextDouble() < v.errorRate) {
          v.errors++;
          if (v.firstError == null) {
            v.firstError = now.plusNanos((long) (seconds * 1e9 * i / n));
          }
        }
        double latency = v.medianSeconds * shared * Math.exp(v.sigma * random.nextGaussian());
        int b = 0;
        while (latency > BOUNDS[b]) {
          b++;
        }
        v.buckets[b]++;
      }
    }
    now = now.plus(d);
  }

  /** The router's cumulative counters now, one backend per version. */
  Sample sample() {
    Map<String, VersionCounters> out = new LinkedHashMap<>();
    versions.forEach((name, v) -> {
      long[] cumulative = new long[BOUNDS.length];
      long sum = 0;
      for (int i = 0; i < BOUNDS.length; i++) {
        sum += v.buckets[i];
        cumulative[i] = sum;
      }
      out.put(name, new VersionCounters(v.requests, v.errors, BOUNDS, cumulative));
    });
    return new Sample(now, out);
  }
}
