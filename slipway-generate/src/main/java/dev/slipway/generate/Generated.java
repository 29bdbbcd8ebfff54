package dev.slipway.generate;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a generator wrote.
 *
 * @param files  file contents by path relative to the output directory, sorted
 * @param report what each model field became, and what could not be expressed and why
 */
public record Generated(SortedMap<String, String> files, List<ReportLine> report) {
  public Generated {
    files = new TreeMap<>(files);
    report = List.copyOf(report);
  }

  /**
   * One line of the report.
   *
   * @param modelPath the model path, e.g. {@code services.api.health.ready}
   * @param outcome   what it became ("readinessProbe httpGet /health/ready in api Deployment"), or why
   *                  it could not be expressed ("canary analysis → needs Argo Rollouts in the cluster")
   * @param expressed whether the target expresses it
   */
  public record ReportLine(String modelPath, String outcome, boolean expressed) {}
}
