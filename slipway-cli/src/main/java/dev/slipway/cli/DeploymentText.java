package dev.slipway.cli;

import dev.slipway.api.DeploymentView;
import dev.slipway.model.Durations;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deployment in words for people ({@code history}, {@code status}): its reason, then what was
 * measured in readable units — "measured over 4.2 s: canary 64 requests, 64 errors (100%), p99 8 ms;
 * stable 300 requests, 0 errors (0%), p99 7.5 ms". The full numbers (and a crash's log lines) are
 * in {@code --json}.
 */
final class DeploymentText {
  private DeploymentText() {}

  /** A release as people look for it: its id and, when known, its version — {@code api-r3 (v3)}. */
  static String release(Object id, Object version) {
    if (id == null) {
      return "-";
    }
    return version == null || version.equals(id) ? id.toString() : id + " (" + version + ")";
  }

  /** The reason and the measurements, or "" when there is neither. */
  /** "running (analysing)" while a deployment runs; its outcome alone once it has ended. */
  static String state(DeploymentView d) {
    return d.phase() == null || "done".equals(d.phase()) ? d.state() : d.state() + " (" + d.phase() + ")";
  }

  static String reason(DeploymentView d) {
    String measured = measured(d.measurements());
    if (d.reason() == null || d.reason().isBlank()) {
      return measured;
    }
    return measured.isEmpty() ? d.reason() : d.reason() + " — " + measured;
  }

  /** The analysis values of both versions; "" when there are none (a crash's are in its reason). */
  static String measured(Map<String, Object> m) {
    if (m == null || !(m.get("canary") instanceof Map<?, ?> canary)) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    parts.add(version("canary", canary));
    if (m.get("stable") instanceof Map<?, ?> stable) {
      parts.add(version("stable", stable));
    }
    if (m.get("queries") instanceof Map<?, ?> queries && !queries.isEmpty()) {
      List<String> q = new ArrayList<>();
      queries.forEach((name, v) -> q.add(name + " " + (v instanceof Number n ? number(n.doubleValue()) : "no data")));
      parts.add("queries " + String.join(", ", q));
    }
    String window = m.get("windowSeconds") instanceof Number n ? " over " + seconds(n.doubleValue()) : "";
    return "measured" + window + ": " + String.join("; ", parts);
  }

  private static String version(String label, Map<?, ?> v) {
    long requests = v.get("requests") instanceof Number n ? n.longValue() : 0;
    long errors = v.get("errors") instanceof Number n ? n.longValue() : 0;
    StringBuilder b = new StringBuilder(label).append(' ').append(count(requests, "request"));
    if (requests > 0) {
      b.append(", ").append(count(errors, "error")).append(" (").append(percent((double) errors / requests)).append(')');
    }
    if (v.get("p95Ms") instanceof Number p95) {
      b.append(", p95 ").append(millis(p95.doubleValue()));
    }
    if (v.get("p99Ms") instanceof Number p99) {
      b.append(", p99 ").append(millis(p99.doubleValue()));
    }
    return b.toString();
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** {@code 1.0} → {@code 100%}, {@code 0.052} → {@code 5.2%}, {@code 0.0005} → {@code 0.05%}. */
  static String percent(double share) {
    double pct = share * 100;
    int decimals = pct >= 10 || pct == 0 ? 0 : pct >= 1 ? 1 : 2;
    return new BigDecimal(pct).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "%";
  }

  /** {@code 8.0} → {@code 8 ms}, {@code 3.14} → {@code 3.1 ms}, {@code 820.4} → {@code 820 ms}. */
  static String millis(double ms) {
    return new BigDecimal(ms).setScale(ms >= 10 ? 0 : 1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
        + " ms";
  }

  private static String seconds(double s) {
    return Durations.human(java.time.Duration.ofMillis(Math.round(s * 1000)));
  }

  private static String number(double v) {
    return new BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
