package dev.slipway.server.team;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.api.team.ConfigChangeView;
import dev.slipway.api.team.GateView;
import dev.slipway.api.team.PromotionItem;
import dev.slipway.server.Json;
import java.util.List;
import java.util.Map;

/**
 * What a promotion keeps beside its state ({@code promotions.view_json}): exactly what it promotes, the
 * configuration it changes, the gates as last judged, and whether an admin overrode a freeze for it.
 * Items are fixed at request time: the images then verified in the source are the ones promoted, even if
 * the source moves on meanwhile.
 *
 * @param reason         the requester's reason, or null
 * @param overrideFreeze an admin asked to promote although the target is frozen (recorded in the audit)
 * @param config         each promoted service's configuration in the target as the model wrote it at request
 *                       time ({@link TargetConfig}, literal secrets masked): what the next promotion compares with
 */
record PromotionRecord(List<PromotionItem> items, List<ConfigChangeView> changes, List<GateView> gates,
    String reason, boolean overrideFreeze, Map<String, Map<String, String>> config) {

  PromotionRecord {
    items = items == null ? List.of() : List.copyOf(items);
    changes = changes == null ? List.of() : List.copyOf(changes);
    gates = gates == null ? List.of() : List.copyOf(gates);
    config = config == null ? Map.of() : Map.copyOf(config);
  }

  PromotionRecord withGates(List<GateView> newGates) {
    return new PromotionRecord(items, changes, newGates, reason, overrideFreeze, config);
  }

  String json() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a promotion's record is always serialisable", e);
    }
  }

  static PromotionRecord parse(String json) {
    try {
      return Json.MAPPER.readValue(json, PromotionRecord.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("promotion record unreadable: " + e.getOriginalMessage(), e);
    }
  }
}
