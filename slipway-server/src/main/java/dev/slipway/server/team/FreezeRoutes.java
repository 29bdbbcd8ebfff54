package dev.slipway.server.team;

import dev.slipway.api.team.FreezeRequest;
import dev.slipway.api.team.FreezeView;
import dev.slipway.api.team.Roles;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.server.ApiError;
import dev.slipway.store.audit.NewAuditEntry;
import dev.slipway.store.team.Freeze;
import dev.slipway.store.team.TeamStore;
import java.time.Clock;
import java.util.List;

/**
 * {@code PUT/DELETE /environments/ENV/freeze} (admin): while an environment is frozen, deploys into it
 * ({@link Runs}) and promotions into it ({@link Promotions}, the {@code freeze} gate) are refused unless an
 * admin overrides the freeze, which the audit trail records with the reason.
 */
public final class FreezeRoutes implements TeamRoutes {
  private final TeamStore store;
  private final TeamModel model;
  private final Clock clock;

  public FreezeRoutes(TeamStore store, TeamModel model, Clock clock) {
    this.store = store;
    this.model = model;
    this.clock = clock;
  }

  @Override
  public void register(TeamRouter router) {
    String path = TeamPaths.ENVIRONMENT + "{env}/freeze";
    router.put(path, r -> {
      String env = r.param("env");
      Access.require(r.caller(), "freeze " + env, List.of(Roles.ADMIN));
      model.environment(env); // 404 for an environment the model does not declare
      FreezeRequest f = r.body(FreezeRequest.class);
      if (f.reason() == null || f.reason().isBlank()) {
        throw ApiError.badRequest("a freeze needs a reason: `slipway freeze " + env + " --until T --reason \"…\"`");
      }
      if (f.until() != null && !f.until().isAfter(clock.instant())) {
        throw ApiError.badRequest("--until " + f.until() + " has passed; give a time in the future, e.g. "
            + clock.instant().plusSeconds(86_400).truncatedTo(java.time.temporal.ChronoUnit.HOURS));
      }
      Freeze stored = store.freeze(env, f.until(), f.reason().strip(), r.caller().name(),
          new NewAuditEntry(r.caller().name(), "freeze", env, null, null, null, null, null, f.reason().strip(),
              PromotionAudit.details("until", f.until() == null ? null : f.until().toString())));
      return TeamResponse.ok(new FreezeView(stored.environment(), stored.until(), stored.reason(), stored.by(),
          stored.at()));
    });
    router.delete(path, r -> {
      String env = r.param("env");
      Access.require(r.caller(), "unfreeze " + env, List.of(Roles.ADMIN));
      model.environment(env);
      if (!store.unfreeze(env, NewAuditEntry.of(r.caller().name(), "unfreeze", env, null))) {
        throw ApiError.notFound("not-frozen", env + " is not frozen; `slipway promotions --env " + env
            + "` shows what waits");
      }
      return TeamResponse.noContent();
    });
  }
}
