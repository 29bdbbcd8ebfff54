package dev.slipway.server.team;

import dev.slipway.api.team.RunView;
import java.util.function.Consumer;

/** What a run does once persisted: {@link ClusterRunActions} on a kubernetes environment. */
interface RunActions {

  /**
   * Acts and reports; never throws for an outcome the user should see (a failed rollout is an outcome).
   *
   * @param recovering the server restarted during this run: continue it with {@code resume=true}
   * @param progress   progress lines, each becoming the run's message
   */
  Outcome perform(RunView run, RunRequest request, boolean recovering, Consumer<String> progress);

  /**
   * How a run ended.
   *
   * @param state         {@code succeeded}, {@code failed}, {@code rolled-back}
   * @param release       the release it made or went to, or null
   * @param beforeRelease the service's current release before the run, or null
   */
  record Outcome(String state, String message, String release, String image, String beforeRelease,
      String beforeImage) {}
}
