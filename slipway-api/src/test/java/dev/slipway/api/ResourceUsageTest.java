package dev.slipway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceUsageTest {

  @Test
  void cpuPercentile_isTheUpperBoundOfItsBucket_neverBelowWhatWasMeasured() {
    TreeMap<Integer, Long> h = new TreeMap<>();
    for (int m : new int[] {3, 12, 12, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 640}) {
      h.merge(ResourceUsage.cpuBucket(m), 1L, Long::sum);
    }
    ResourceUsage.Service s = new ResourceUsage.Service(20, 40, 0, 0, 640, h, List.of(), null, null);

    assertThat(s.cpuPercentileMillis(50)).isEqualTo(40);
    assertThat(s.cpuPercentileMillis(95)).isEqualTo(40);
    assertThat(s.cpuPercentileMillis(100)).isEqualTo(700);
    assertThat(s.cpuPercentileMillis(5)).isEqualTo(10);
  }

  @Test
  void cpuBucket_roundsUpInStepsThatGrowWithTheValue() {
    assertThat(ResourceUsage.cpuBucket(0)).isEqualTo(10);
    assertThat(ResourceUsage.cpuBucket(101)).isEqualTo(125);
    assertThat(ResourceUsage.cpuBucket(501)).isEqualTo(600);
    assertThat(ResourceUsage.cpuBucket(2001)).isEqualTo(2500);
    assertThat(ResourceUsage.cpuBucket(8001)).isEqualTo(9000);
  }

  @Test
  void writeThenRead_roundTrips_andAMissingOrBrokenFileReadsAsEmpty(@TempDir Path state) throws Exception {
    assertThat(ResourceUsage.read(state)).isEqualTo(ResourceUsage.empty());
    ResourceUsage u = new ResourceUsage(ResourceUsage.VERSION, Map.of("api", new ResourceUsage.Service(3, 6,
        300L << 20, 310L << 20, 900, new TreeMap<>(Map.of(50, 2L)), List.of("api-r1"), "2026-12-07T00:00:00Z",
        "2026-12-07T00:00:06Z")));

    u.write(state);

    assertThat(ResourceUsage.read(state)).isEqualTo(u);
    assertThat(ResourceUsage.read(state).services().get("api").peakMemoryBytes()).isEqualTo(310L << 20);
    assertThat(Files.getPosixFilePermissions(state.resolve(ApiPaths.USAGE_FILE)).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    Files.writeString(state.resolve(ApiPaths.USAGE_FILE), "{ not json");
    assertThat(ResourceUsage.read(state)).isEqualTo(ResourceUsage.empty());
  }
}
