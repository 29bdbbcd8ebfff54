package dev.slipway.api;

import java.util.List;
import java.util.Map;

/**
 * A deployment (a rollout of one release of one service), as the API shows it.
 *
 * @param id           deployment number
 * @param service      the service
 * @param from         the release it started from (stable), or null for a first release
 * @param to           the release it ships
 * @param fromVersion  version label of {@code from}
 * @param toVersion    version label of {@code to}
 * @param strategy     {@code rolling}, {@code blue-green}, {@code canary} or {@code immediate}
 * @param state        {@code pending}, {@code running}, {@code paused} while active; then {@code succeeded},
 *                     {@code rolled-back}, {@code aborted} or {@code failed} (docs/strategies.md, "Outcomes")
 * @param step         index of the current step (0-based)
 * @param steps        the plan's steps, described
 * @param weights      percent of traffic per release id right now
 * @param reason       why it paused, failed or was rolled back: one line for people
 * @param measurements the last analysis values (canary and stable); for a crash-looping candidate also
 *                     {@code crash}: its instance, {@code exits}, {@code cause} and the explaining {@code log} lines
 * @param startedAt    ISO-8601
 * @param finishedAt   ISO-8601, or null while active
 * @param phase        what it is doing: {@code starting}, {@code shifting}, {@code pausing}, {@code analysing},
 *                     {@code retiring}, {@code promoting}, {@code holding}, {@code rolling-back} while active;
 *                     {@code done} once finished (docs/strategies.md, "Phases")
 * @param warmUntil    ISO-8601: while the new release takes all traffic and the previous one is kept warm for
 *                     an instant switch back (blue-green's rollback window), when that window ends; else null
 */
public record DeploymentView(
    long id,
    String service,
    String from,
    String to,
    String fromVersion,
    String toVersion,
    String strategy,
    String state,
    int step,
    List<String> steps,
    Map<String, Integer> weights,
    String reason,
    Map<String, Object> measurements,
    String startedAt,
    String finishedAt,
    String phase,
    String warmUntil) {}
