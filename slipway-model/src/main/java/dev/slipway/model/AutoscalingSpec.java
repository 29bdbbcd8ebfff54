package dev.slipway.model;

/**
 * Scale a service between {@code min} and {@code max} instances on CPU use
 * ({@code autoscaling: { min: 2, max: 10, cpu: 70% }}); container targets only.
 *
 * @param min the fewest instances (at least 1; default: the service's {@code replicas}, at least 1)
 * @param max the most instances (at least {@code min})
 * @param cpu target average CPU use as a share of the requested CPU, 0..1 exclusive of 0 (default 70%)
 */
public record AutoscalingSpec(int min, int max, double cpu) {
  public static final double DEFAULT_CPU = 0.7;
}
