package dev.slipway.server.team;

import dev.slipway.api.team.TeamPaths;
import dev.slipway.server.ApiError;
import java.time.Duration;

/** The runs: a list, and one run, long-polled with {@code waitSeconds} until it changes or ends. */
final class RunRoutes implements TeamRoutes {
  private static final long MAX_WAIT_SECONDS = 60;

  private final Runs runs;

  RunRoutes(Runs runs) {
    this.runs = runs;
  }

  @Override
  public void register(TeamRouter r) {
    r.get(TeamPaths.RUNS, q -> TeamResponse.ok(runs.list(q.query("env").orElse(null),
        (int) Math.min(1000, q.queryLong("limit", 100)))));
    r.get(TeamPaths.RUNS + "/{id}", q -> {
      long id;
      try {
        id = Long.parseLong(q.param("id"));
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("`" + q.param("id") + "` is not a run id; list them: slipway runs");
      }
      long wait = Math.max(0, Math.min(MAX_WAIT_SECONDS, q.queryLong("waitSeconds", 0)));
      if (wait == 0) {
        return TeamResponse.ok(runs.get(id).orElseThrow(() -> ApiError.notFound("unknown-run", "no run " + id
            + "; list them: slipway runs")));
      }
      return TeamResponse.ok(runs.await(id, Duration.ofSeconds(wait)));
    });
  }
}
