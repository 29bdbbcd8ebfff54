package dev.slipway.server.team;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.plan.promotion.ReleaseFacts;
import dev.slipway.plan.promotion.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Whether a recorded release counts as verified, judged by the plan's rule ({@link Verification}) on
 * the facts the server recorded, with the soak of the environments that promote from its environment.
 */
final class VerifiedReleases {
  private VerifiedReleases() {}

  static boolean verified(AppSpec app, List<RunLedger.ReleaseFacts> environmentReleases, RunLedger.ReleaseFacts f,
      Instant now) {
    return Verification.verified(facts(environmentReleases, f), soak(app, f.environment()), now);
  }

  /** The plan's facts of {@code f}: its last rollback is the latest of any release of its service there. */
  static ReleaseFacts facts(List<RunLedger.ReleaseFacts> environmentReleases, RunLedger.ReleaseFacts f) {
    Instant lastRollback = environmentReleases.stream().filter(r -> r.service().equals(f.service()))
        .map(RunLedger.ReleaseFacts::rolledBackAt).filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
    return new ReleaseFacts(f.service(), f.release(), f.image(), f.state(), f.liveSince(), f.analysis(), lastRollback);
  }

  /** The longest soak any environment promoting from {@code environment} asks for (zero when none does). */
  static Duration soak(AppSpec app, String environment) {
    return app.environments().values().stream().map(EnvironmentSpec::promotion)
        .filter(p -> p != null && environment.equals(p.from())).map(p -> p.soak() == null ? Duration.ZERO : p.soak())
        .max(Duration::compareTo).orElse(Duration.ZERO);
  }
}
