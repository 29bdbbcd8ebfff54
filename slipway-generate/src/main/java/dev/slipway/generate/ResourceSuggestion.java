package dev.slipway.generate;

import dev.slipway.model.Durations;
import dev.slipway.model.ServiceSpec;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code resources:} to suggest for a service: from what Slipway measured when it ran it locally
 * (memory: the peak × 1.25, rounded up to 64Mi, so never tighter than what was seen; CPU: the 95th
 * percentile after start-up, rounded up to 50m), else defaults, and the sentence that says which.
 * The kubernetes target derives limits from these requests (memory = request, CPU = 2 × request).
 *
 * @param measured whether {@link #basis} is a measurement
 */
record ResourceSuggestion(long cpuMillis, long memoryBytes, boolean measured, String basis) {
  static final long MIB = 1L << 20;
  static final long MEMORY_STEP = 64 * MIB;
  static final double MEMORY_HEADROOM = 1.25;
  static final long CPU_STEP = 50;
  static final long DEFAULT_CPU = 250;
  static final long DEFAULT_MEMORY = 256 * MIB;
  /** JVMs (Spring Boot above all) rarely fit 256Mi: heap, metaspace, code cache and threads. */
  static final long DEFAULT_JVM_MEMORY = 512 * MIB;
  private static final Pattern JVM = Pattern.compile("(^|[\\s/;&|])(java|mvnw?|gradlew?)(\\s|$)|\\.jar(\\s|$)");
  private static final String HOW_TO_MEASURE = "run it with `slipway up`, and under load during `slipway deploy`, "
      + "to base this on what it uses";

  static ResourceSuggestion of(ServiceSpec service, MeasuredUsage m) {
    boolean jvm = JVM.matcher(service.run()).find();
    if (m == null) {
      return new ResourceSuggestion(DEFAULT_CPU, jvm ? DEFAULT_JVM_MEMORY : DEFAULT_MEMORY, false,
          (jvm ? "Slipway's defaults for a JVM service" : "Slipway's defaults") + ", nothing measured yet: "
              + HOW_TO_MEASURE);
    }
    long memory = Math.max(MEMORY_STEP, roundUp((long) Math.ceil(m.peakMemoryBytes() * MEMORY_HEADROOM), MEMORY_STEP));
    StringBuilder basis = new StringBuilder("measured locally: peak RSS ").append(memory(m.peakMemoryBytes()));
    long cpu;
    if (m.cpuP95Millis() >= 0) {
      cpu = Math.max(CPU_STEP, roundUp(m.cpuP95Millis(), CPU_STEP));
      basis.append(", CPU p95 ").append(m.cpuP95Millis()).append('m');
    } else {
      cpu = DEFAULT_CPU;
    }
    basis.append(" over ").append(Durations.human(m.sampledFor())).append(" across ").append(m.releases())
        .append(m.releases() == 1 ? " release" : " releases");
    basis.append("; memory = peak × 1.25 rounded up to 64Mi");
    basis.append(m.cpuP95Millis() >= 0 ? ", cpu = p95 rounded up to 50m"
        : "; CPU not measured past start-up yet, so the default cpu");
    return new ResourceSuggestion(cpu, memory, true, basis.toString());
  }

  /** {@code resources: { cpu: 150m, memory: 448Mi }}. */
  String yaml() {
    return "resources: { cpu: " + WorkloadObjects.cpu(cpuMillis) + ", memory: " + memory(memoryBytes) + " }";
  }

  static long roundUp(long value, long step) {
    return (value + step - 1) / step * step;
  }

  /** Bytes as Kubernetes writes them: whole Gi, else whole Mi (rounded up). */
  static String memory(long bytes) {
    long mib = roundUp(bytes, MIB) / MIB;
    return mib % 1024 == 0 ? mib / 1024 + "Gi" : mib + "Mi";
  }


  private static final Pattern QUANTITY = Pattern.compile("(\\d+(?:\\.\\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?");

  /** A generated quantity ({@code 500m}, {@code 2}, {@code 512Mi}, {@code 1G}) in millicores or bytes; -1 if unreadable. */
  static long value(Object quantity, boolean cpu) {
    Matcher m = quantity == null ? null : QUANTITY.matcher(quantity.toString());
    if (m == null || !m.matches()) {
      return -1;
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    if (cpu) {
      return (long) Math.ceil(unit.equals("m") ? n : n * 1000);
    }
    long factor = switch (unit) {
      case "Ki" -> 1L << 10;
      case "Mi" -> 1L << 20;
      case "Gi" -> 1L << 30;
      case "Ti" -> 1L << 40;
      case "k" -> 1000L;
      case "M" -> 1000_000L;
      case "G" -> 1000_000_000L;
      case "T" -> 1000_000_000_000L;
      default -> 1L;
    };
    return (long) Math.ceil(n * factor);
  }
}
