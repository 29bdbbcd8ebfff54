package dev.slipway.server.team;

import dev.slipway.api.team.DecisionRequest;
import dev.slipway.api.team.PromotionRequest;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.server.ApiError;

/**
 * {@code /promotions}: list, request (or dry-run), show, approve and reject; the rules are {@link Promotions}'.
 * Reading needs no role beyond being a user.
 */
public final class PromotionRoutes implements TeamRoutes {
  private final Promotions promotions;

  public PromotionRoutes(Promotions promotions) {
    this.promotions = promotions;
  }

  @Override
  public void register(TeamRouter router) {
    router.get(TeamPaths.PROMOTIONS, r -> TeamResponse.ok(promotions.list(r.query("env").orElse(null))));
    router.post(TeamPaths.PROMOTIONS, r -> {
      boolean dryRun = r.query("dryRun").map(Boolean::parseBoolean).orElse(false);
      var view = promotions.request(r.body(PromotionRequest.class), r.caller(), dryRun);
      return dryRun ? TeamResponse.ok(view) : TeamResponse.created(view);
    });
    router.get(TeamPaths.PROMOTIONS + "/{id}", r -> TeamResponse.ok(promotions.get(id(r))));
    router.post(TeamPaths.PROMOTIONS + "/{id}/approve", r -> TeamResponse.ok(promotions.approve(id(r), r.caller(),
        r.body(DecisionRequest.class, new DecisionRequest(null)).comment())));
    router.post(TeamPaths.PROMOTIONS + "/{id}/reject", r -> TeamResponse.ok(promotions.reject(id(r), r.caller(),
        r.body(DecisionRequest.class, new DecisionRequest(null)).comment())));
  }

  private static long id(TeamRequest r) {
    String id = r.param("id");
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("a promotion's id is a number (slipway promotions lists them), got `" + id + "`");
    }
  }
}
