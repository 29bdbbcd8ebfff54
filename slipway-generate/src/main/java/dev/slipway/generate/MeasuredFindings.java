package dev.slipway.generate;

import dev.slipway.generate.Hardening.Finding;
import java.util.List;
import java.util.Map;

/**
 * Resources that are written but smaller than what the service was measured to use locally: memory
 * limited below the peak it reached (the kernel would kill it), CPU limited below what it used most
 * of the time (it would be throttled). Read from the generated container, like every check.
 */
final class MeasuredFindings {
  private MeasuredFindings() {}

  static void check(String base, String in, Map<String, Object> resources, MeasuredUsage m,
      ResourceSuggestion suggested, List<Finding> out) {
    Map<String, Object> limits = Kube.child(resources, "limits");
    long memoryLimit = limits == null ? -1 : ResourceSuggestion.value(limits.get("memory"), false);
    if (memoryLimit > 0 && memoryLimit < m.peakMemoryBytes()) {
      out.add(new Finding(base + ".resources.memory", "resources.memory.belowMeasured", in + " is limited to "
          + ResourceSuggestion.memory(memoryLimit) + " of memory, but one instance reached "
          + ResourceSuggestion.memory(m.peakMemoryBytes()) + " locally: it would be killed for running out of memory",
          "write `memory: " + ResourceSuggestion.memory(suggested.memoryBytes()) + "` (" + suggested.basis() + ")"));
    }
    long cpuLimit = limits == null ? -1 : ResourceSuggestion.value(limits.get("cpu"), true);
    if (cpuLimit > 0 && m.cpuP95Millis() > cpuLimit) {
      out.add(new Finding(base + ".resources.cpu", "resources.cpu.belowMeasured", in + " is limited to "
          + WorkloadObjects.cpu(cpuLimit) + " CPU, but one instance used " + m.cpuP95Millis() + "m (p95) locally: it "
          + "would be throttled", "write `cpu: " + WorkloadObjects.cpu(suggested.cpuMillis()) + "` ("
          + suggested.basis() + ")"));
    }
  }
}
