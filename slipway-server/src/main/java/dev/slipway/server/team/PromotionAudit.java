package dev.slipway.server.team;

import dev.slipway.api.team.PromotionItem;
import dev.slipway.store.audit.NewAuditEntry;
import java.util.List;

/**
 * The audit entries of promotions: who, on which environment, and for a one-service promotion the
 * releases and images before and after; {@code details} a JSON object naming the promotion.
 */
final class PromotionAudit {
  private PromotionAudit() {}

  static NewAuditEntry entry(String actor, String action, String env, List<PromotionItem> items, String reason,
      String details) {
    PromotionItem only = items.size() == 1 ? items.get(0) : null;
    return new NewAuditEntry(actor, action, env, only == null ? null : only.service(),
        only == null ? null : only.targetRelease(), only == null ? null : only.fromRelease(),
        only == null ? null : only.targetImage(), only == null ? null : only.image(), reason, details);
  }

  static String itemsText(List<PromotionItem> items) {
    return String.join(", ", items.stream().map(i -> i.service() + " " + i.fromRelease() + " (" + i.image() + ")")
        .toList());
  }

  /** A JSON object's text from names and values, in the order given. */
  static String details(Object... namesAndValues) {
    var map = new java.util.LinkedHashMap<String, Object>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    try {
      return dev.slipway.server.Json.MAPPER.writeValueAsString(map);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
