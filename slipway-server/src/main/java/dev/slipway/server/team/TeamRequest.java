package dev.slipway.server.team;

import dev.slipway.server.ApiError;
import dev.slipway.server.Json;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * One authenticated request as a handler sees it: who asks, the path's {@code {name}} values, the
 * query and the JSON body.
 */
public final class TeamRequest {
  private final Caller caller;
  private final Map<String, String> params;
  private final Map<String, String> query;
  private final byte[] body;

  TeamRequest(Caller caller, Map<String, String> params, Map<String, String> query, byte[] body) {
    this.caller = caller;
    this.params = Map.copyOf(params);
    this.query = Map.copyOf(query);
    this.body = body;
  }

  public Caller caller() {
    return caller;
  }

  /** A {@code {name}} segment of the route's pattern. */
  public String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalArgumentException("the route has no {" + name + "} segment");
    }
    return v;
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
  }

  /** A whole-number query parameter; 400 naming it when it is not one. */
  public long queryLong(String name, long fallback) {
    Optional<String> v = query(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("query parameter `" + name + "` must be a whole number, got `" + v.get() + "`");
    }
  }

  /** The JSON body as {@code type}; an empty body is {@code fallback}; 400 when it is not valid JSON. */
  public <T> T body(Class<T> type, T fallback) {
    if (body.length == 0) {
      return fallback;
    }
    try {
      return Json.MAPPER.readValue(body, type);
    } catch (IOException e) {
      throw ApiError.badRequest("the body is not a valid " + type.getSimpleName() + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** The JSON body as {@code type}; 400 when it is missing. */
  public <T> T body(Class<T> type) {
    T value = body(type, null);
    if (value == null) {
      throw ApiError.badRequest("this call needs a JSON body (" + type.getSimpleName() + ")");
    }
    return value;
  }
}
