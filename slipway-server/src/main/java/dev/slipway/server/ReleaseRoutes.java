package dev.slipway.server;

import com.sun.net.httpserver.HttpExchange;
import dev.slipway.api.DeployRequest;
import dev.slipway.api.RolloutRequest;
import dev.slipway.engine.EngineException;
import dev.slipway.engine.ReleaseEngine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/services/NAME/{deploy,promote,abort,rollback,history}}: releases of a running stack.
 * Engine refusals become HTTP errors in the one error shape: unknown service 404, a rollout in
 * progress or nothing to do 409, a bad request 400.
 */
final class ReleaseRoutes {
  private final ReleaseEngine releases;

  ReleaseRoutes(ReleaseEngine releases) {
    this.releases = releases;
  }

  void handle(HttpExchange ex, String method, String service, String action) throws IOException {
    try {
      switch (action) {
        case "deploy" -> {
          HttpExchanges.requireMethod(method, "POST");
          DeployRequest r = body(ex, DeployRequest.class, new DeployRequest(null, null, null, false, false));
          HttpExchanges.sendJson(ex, 202, releases.deploy(service, r));
        }
        case "promote" -> {
          HttpExchanges.requireMethod(method, "POST");
          HttpExchanges.sendJson(ex, 200, releases.promote(service, body(ex, RolloutRequest.class, new RolloutRequest(false, null)).full()));
        }
        case "abort" -> {
          HttpExchanges.requireMethod(method, "POST");
          HttpExchanges.sendJson(ex, 200, releases.abort(service));
        }
        case "rollback" -> {
          HttpExchanges.requireMethod(method, "POST");
          HttpExchanges.sendJson(ex, 202, releases.rollback(service,
              body(ex, RolloutRequest.class, new RolloutRequest(false, null)).toRelease()));
        }
        case "history" -> {
          HttpExchanges.requireMethod(method, "GET");
          HttpExchanges.sendJson(ex, 200, releases.history(service));
        }
        default -> throw ApiError.notFound("unknown-path", "no such endpoint: " + ex.getRequestURI().getPath()
            + "; see docs/api.md");
      }
    } catch (EngineException e) {
      throw toApiError(e);
    }
  }

  private static <T> T body(HttpExchange ex, Class<T> type, T empty) throws IOException {
    byte[] bytes = ex.getRequestBody().readAllBytes();
    if (bytes.length == 0) {
      return empty;
    }
    try {
      return Json.MAPPER.readValue(bytes, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiError.badRequest("the request body is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
    }
  }

  static ApiError toApiError(EngineException e) {
    List<String> details = new ArrayList<>();
    details.add(e.getMessage());
    if (e.hint() != null) {
      details.add(e.hint());
    }
    details.addAll(e.details());
    return switch (e.kind()) {
      case NOT_FOUND -> new ApiError(404, "not-found", "Not found", details);
      case CONFLICT -> new ApiError(409, "conflict", "Conflict", details);
      case INVALID -> new ApiError(400, "bad-request", "Bad request", details);
      case FAILED -> new ApiError(500, "failed", "Failed", details);
    };
  }
}
