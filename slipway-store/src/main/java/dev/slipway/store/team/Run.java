package dev.slipway.store.team;

import java.time.Instant;

/**
 * One action the server runs for a user, as stored.
 *
 * @param state       {@code pending} when created; afterwards whatever the server moves it to
 * @param message     the latest progress or outcome line, or null
 * @param release     the release it made or went to, or null before it is known
 * @param finishedAt  when it ended, or null while it is active
 * @param promotionId the promotion it carries out, or 0
 */
public record Run(long id, String kind, String environment, String service, String state, String message,
    String release, String image, String requestedBy, Instant startedAt, Instant finishedAt, long promotionId,
    String requestJson) {
  /** The state every run starts in. */
  public static final String PENDING = "pending";

  /** Whether the run has ended: nothing more will change. */
  public boolean finished() {
    return finishedAt != null;
  }
}
