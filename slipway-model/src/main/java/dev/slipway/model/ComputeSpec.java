package dev.slipway.model;

/**
 * CPU and memory for one instance ({@code resources: { cpu: 500m, memory: 512Mi }}).
 *
 * @param cpu    CPU as written and in millicores, or {@code null}
 * @param memory memory as written and in bytes, or {@code null}
 */
public record ComputeSpec(Quantity cpu, Quantity memory) {}
