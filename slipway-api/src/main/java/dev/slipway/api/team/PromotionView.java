package dev.slipway.api.team;

import java.time.Instant;
import java.util.List;

/**
 * A promotion from one environment to the next.
 *
 * @param state     {@code waiting} (a gate does not hold yet), {@code running}, {@code succeeded},
 *                  {@code failed}, {@code rejected}, {@code cancelled}; the last four are terminal
 * @param items     what it promotes, service by service
 * @param changes   configuration keys that change in the target, secret values masked
 * @param gates     every gate and whether it holds now
 * @param approvals the approvals and rejections given
 * @param outcome   how it ended (or why it waits), one line
 * @param runIds    the runs that carry it out, once it runs
 */
public record PromotionView(long id, String from, String to, String state, List<PromotionItem> items,
    List<ConfigChangeView> changes, List<GateView> gates, List<ApprovalView> approvals, String requestedBy,
    Instant requestedAt, Instant finishedAt, String outcome, List<Long> runIds) {

  public boolean terminal() {
    return switch (state) {
      case "succeeded", "failed", "rejected", "cancelled" -> true;
      default -> false;
    };
  }
}
