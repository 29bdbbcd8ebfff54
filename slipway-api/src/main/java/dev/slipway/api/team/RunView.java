package dev.slipway.api.team;

import java.time.Instant;

/**
 * One action the server runs for a user on an environment: it keeps running when the CLI that asked
 * goes away; {@code slipway runs ID --wait} (or {@code deploy --wait}) follows it.
 *
 * @param kind        {@code deploy}, {@code rollback}, {@code abort}, {@code promote-step}, {@code promotion}
 * @param state       {@code pending}, {@code running}, {@code succeeded}, {@code failed}, {@code rolled-back}
 * @param message     the latest progress or outcome line
 * @param release     the release it made or went to, or null before it is known
 * @param promotionId the promotion it runs for, or 0
 */
public record RunView(long id, String kind, String environment, String service, String state, String message,
    String release, String image, String requestedBy, Instant startedAt, Instant finishedAt, long promotionId) {

  /** Whether the run has ended (nothing more will change). */
  public boolean finished() {
    return finishedAt != null;
  }
}
