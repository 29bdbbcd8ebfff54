package dev.slipway.server.team;

import dev.slipway.api.team.PreviewView;
import dev.slipway.server.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** A preview's audit details: a JSON object in its final form (the chain hashes the text as given). */
final class PreviewAudit {
  private PreviewAudit() {}

  static String details(PreviewView v) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", v.name());
    d.put("target", v.target());
    d.put("source", v.source());
    d.put("state", v.state());
    d.put("expiresAt", v.expiresAt() == null ? null : v.expiresAt().toString());
    try {
      return Json.MAPPER.writeValueAsString(d);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }
}
