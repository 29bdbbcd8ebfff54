package dev.slipway.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the local target measured of each service while it ran (under {@code slipway up} and during
 * deploys), kept in {@code .slipway/state/usage.json} across sessions: the control plane writes it,
 * {@code slipway lint} reads it to size requests and limits. Memory is the resident set of an
 * instance's whole process tree; CPU the tree's user + system time per wall second, in millicores.
 *
 * @param version  the file format, {@link #VERSION}
 * @param services by service name
 */
public record ResourceUsage(int version, Map<String, Service> services) {
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ResourceUsage {
    services = services == null ? Map.of() : Map.copyOf(services);
  }

  /**
   * One service's measurements, over all its instances (each instance is one sample per interval).
   *
   * @param samples        instance samples taken
   * @param sampledSeconds wall time during which at least one instance was sampled
   * @param peakRssBytes   the highest resident set of one instance's process tree seen in a sample
   * @param peakHwmBytes   the highest sum of the tree's own peaks (VmHWM): catches spikes between samples
   * @param cpuMaxMillis   the highest CPU use of one instance over one interval, start-up included
   * @param cpuHistogram   CPU use per interval after start-up, by bucket upper bound in millicores
   *                       ({@link #cpuBucket}) → number of samples
   * @param releases       the releases sampled, oldest first (at most {@link #MAX_RELEASES})
   * @param firstSampled   ISO-8601 instant of the first sample
   * @param lastSampled    ISO-8601 instant of the last sample
   */
  public record Service(long samples, long sampledSeconds, long peakRssBytes, long peakHwmBytes, int cpuMaxMillis,
      SortedMap<Integer, Long> cpuHistogram, List<String> releases, String firstSampled, String lastSampled) {
    public static final int MAX_RELEASES = 50;

    public Service {
      cpuHistogram = cpuHistogram == null ? new TreeMap<>() : new TreeMap<>(cpuHistogram);
      releases = releases == null ? List.of() : List.copyOf(releases);
    }

    /** The most memory one instance was seen to hold. */
    public long peakMemoryBytes() {
      return Math.max(peakRssBytes, peakHwmBytes);
    }

    /** Samples in the CPU histogram (after start-up). */
    public long cpuSamples() {
      return cpuHistogram.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The {@code p}-th percentile (0 < p ≤ 100) of CPU use after start-up, as the upper bound of its
     * bucket (never below what was measured); -1 when nothing was measured after start-up.
     */
    public int cpuPercentileMillis(double p) {
      long total = cpuSamples();
      if (total == 0) {
        return -1;
      }
      long rank = (long) Math.ceil(p / 100.0 * total);
      long seen = 0;
      for (Map.Entry<Integer, Long> e : cpuHistogram.entrySet()) {
        seen += e.getValue();
        if (seen >= rank) {
          return e.getKey();
        }
      }
      return cpuHistogram.lastKey();
    }
  }

  /** No measurements. */
  public static ResourceUsage empty() {
    return new ResourceUsage(VERSION, Map.of());
  }

  /**
   * The histogram bucket of a CPU use: its upper bound in millicores. Fine where requests are usually
   * set (10m steps to 100m, 25m to 500m, 100m to 2 cores), coarse above.
   */
  public static int cpuBucket(int millis) {
    if (millis <= 100) {
      return Math.max(10, ceil(millis, 10));
    }
    if (millis <= 500) {
      return ceil(millis, 25);
    }
    if (millis <= 2000) {
      return ceil(millis, 100);
    }
    return millis <= 8000 ? ceil(millis, 500) : ceil(millis, 1000);
  }

  private static int ceil(int value, int step) {
    return (value + step - 1) / step * step;
  }

  /**
   * The measurements kept in {@code stateDir} ({@code .slipway/}); none when there is no file yet, or
   * an unreadable one (it only informs suggestions, so it never stops a command).
   */
  public static ResourceUsage read(Path stateDir) {
    Path file = stateDir.resolve(ApiPaths.USAGE_FILE);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) == 0) {
        return empty();
      }
      ResourceUsage u = JSON.readValue(file.toFile(), ResourceUsage.class);
      return u == null || u.version() != VERSION ? empty() : u;
    } catch (IOException | RuntimeException e) {
      return empty();
    }
  }

  /** Writes to {@code stateDir} whole and durably (mode 0600; see {@link DurableFiles}). */
  public void write(Path stateDir) throws IOException {
    DurableFiles.write(stateDir.resolve(ApiPaths.USAGE_FILE), JSON.writeValueAsBytes(this));
  }
}
