package dev.slipway.store.team;

import java.time.Instant;

/**
 * A promotion from one environment to the next, as stored.
 *
 * @param outcome    how it ended (or why it waits), one line, or null
 * @param finishedAt when it reached a terminal state, or null
 * @param viewJson   its items and configuration changes
 */
public record Promotion(long id, String from, String to, String state, String requestedBy, Instant requestedAt,
    Instant finishedAt, String outcome, String viewJson) {
  /** Whether it has ended: nothing more will change. */
  public boolean finished() {
    return finishedAt != null;
  }
}
