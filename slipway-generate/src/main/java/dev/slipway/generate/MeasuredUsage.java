package dev.slipway.generate;

import java.time.Duration;

/**
 * What one service's instances were measured to use when Slipway ran them locally ({@code slipway up},
 * {@code slipway deploy}), for {@link Hardening}'s resource suggestions.
 *
 * @param peakMemoryBytes the most memory one instance's process tree held
 * @param cpuP95Millis    the 95th percentile of one instance's CPU use after start-up, in millicores;
 *                        -1 when no instance ran past its start-up while measured
 * @param cpuMaxMillis    the highest CPU use of one instance over a sampling interval, start-up included
 * @param sampledFor      how long at least one instance was measured
 * @param releases        how many releases were measured
 */
public record MeasuredUsage(long peakMemoryBytes, int cpuP95Millis, int cpuMaxMillis, Duration sampledFor,
    int releases) {}
