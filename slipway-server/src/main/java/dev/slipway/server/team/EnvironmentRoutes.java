package dev.slipway.server.team;

import dev.slipway.api.team.EnvironmentView;
import dev.slipway.api.team.Roles;
import dev.slipway.api.team.ServerDeployRequest;
import dev.slipway.api.team.ServerReleaseView;
import dev.slipway.api.team.ServerRollbackRequest;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Environments as the server sees them (the model now, what it recorded, the freeze), their releases,
 * and the verbs that become runs: deploy, rollback, abort, a canary's next step.
 */
final class EnvironmentRoutes implements TeamRoutes {
  private static final String SERVICE = TeamPaths.ENVIRONMENT + "{env}/services/{service}/";

  private final TeamLedger ledger;
  private final TeamModel model;
  private final Runs runs;
  private final Clock clock;

  EnvironmentRoutes(TeamLedger ledger, TeamModel model, Runs runs, Clock clock) {
    this.ledger = ledger;
    this.model = model;
    this.runs = runs;
    this.clock = clock;
  }

  @Override
  public void register(TeamRouter r) {
    r.get(TeamPaths.ENVIRONMENTS, q -> {
      AppSpec app = model.base();
      List<EnvironmentView> out = new ArrayList<>();
      for (EnvironmentSpec env : app.environments().values()) {
        out.add(view(app, env));
      }
      return TeamResponse.ok(out);
    });
    r.get(TeamPaths.ENVIRONMENT + "{env}/releases", q -> {
      String env = q.param("env");
      model.environment(env);
      return TeamResponse.ok(releases(model.base(), env));
    });
    r.post(SERVICE + "deploy", q -> {
      ServerDeployRequest body = q.body(ServerDeployRequest.class, new ServerDeployRequest(null, null, null, null, false));
      String env = q.param("env");
      Access.require(q.caller(), "deploy to " + env, Roles.DEPLOYER);
      if (body.overrideFreeze()) {
        Access.require(q.caller(), "override the freeze of " + env, Roles.ADMIN);
      }
      return TeamResponse.accepted(runs.start(new RunRequest(RunRequest.DEPLOY, env, q.param("service"),
          q.caller().name(), body.image(), body.imageTag(), body.strategy(), null, body.reason(), body.overrideFreeze(), 0)));
    });
    r.post(SERVICE + "rollback", q -> {
      ServerRollbackRequest body = q.body(ServerRollbackRequest.class, new ServerRollbackRequest(null, null));
      String env = q.param("env");
      Access.require(q.caller(), "roll back in " + env, Roles.DEPLOYER);
      return TeamResponse.accepted(runs.start(new RunRequest(RunRequest.ROLLBACK, env, q.param("service"),
          q.caller().name(), null, null, null, body.toRelease(), body.reason(), false, 0)));
    });
    r.post(SERVICE + "abort", q -> verb(q, RunRequest.ABORT, "abort rollouts in "));
    r.post(SERVICE + "promote", q -> verb(q, RunRequest.PROMOTE_STEP, "promote rollouts in "));
  }

  private TeamResponse verb(TeamRequest q, String kind, String action) {
    String env = q.param("env");
    Access.require(q.caller(), action + env, Roles.DEPLOYER);
    return TeamResponse.accepted(runs.start(new RunRequest(kind, env, q.param("service"), q.caller().name(), null, null,
        null, null, null, false, 0)));
  }

  private EnvironmentView view(AppSpec app, EnvironmentSpec env) {
    return new EnvironmentView(env.name(), env.target().key(), env.promotion() == null ? null : env.promotion().from(),
        env.isProtected(), ledger.freeze(env.name(), clock.instant()).orElse(null), releases(app, env.name()));
  }

  private List<ServerReleaseView> releases(AppSpec app, String env) {
    List<RunLedger.ReleaseFacts> all = ledger.releases(env);
    return all.stream()
        .map(f -> new ServerReleaseView(f.environment(), f.service(), f.release(), f.image(), f.configDigest(), f.state(),
            f.liveSince(), f.analysis(), VerifiedReleases.verified(app, all, f, clock.instant()), f.runId()))
        .toList();
  }
}
