package dev.slipway.server.team;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * "Verified in E" from the facts the server recorded: live, analysis passed or none, no rollback since,
 * and live for at least the longest soak of the environments that promote from E.
 */
final class Verification {
  private Verification() {}

  static boolean verified(AppSpec app, RunLedger.ReleaseFacts f, Instant now) {
    return "live".equals(f.state()) && !"failed".equals(f.analysis()) && f.rolledBackAt() == null
        && f.liveSince() != null && !f.liveSince().plus(soak(app, f.environment())).isAfter(now);
  }

  /** The longest soak any environment promoting from {@code environment} asks for. */
  static Duration soak(AppSpec app, String environment) {
    return Duration.ZERO; // TODO(issue 11): the consumers' promotion.soak once the model key lands
  }

  static String promotedFrom(EnvironmentSpec env) {
    return null; // TODO(issue 11): env.promotion().from() once the model key lands
  }
}
