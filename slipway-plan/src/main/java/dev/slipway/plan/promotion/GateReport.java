package dev.slipway.plan.promotion;

import java.util.List;

/**
 * Every gate of a promotion, in a fixed order (verified per service, soak, approvals, window, freeze).
 *
 * @param allHold whether the promotion may run now
 */
public record GateReport(List<Gate> gates, boolean allHold) {
  public GateReport {
    gates = List.copyOf(gates);
  }

  /** The report of {@code gates}: it holds when every gate does. */
  public static GateReport of(List<Gate> gates) {
    return new GateReport(gates, gates.stream().allMatch(Gate::holds));
  }

  /** Whether a rejection ended the promotion: it can never run. */
  public boolean rejected() {
    return gates.stream().anyMatch(g -> g.name().equals(Gate.APPROVALS) && !g.holds() && g.text().startsWith("rejected by "));
  }
}
