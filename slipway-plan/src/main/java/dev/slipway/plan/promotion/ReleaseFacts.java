package dev.slipway.plan.promotion;

import java.time.Instant;

/**
 * What the team server recorded about the release a service runs in an environment: the facts that
 * decide whether it is verified there.
 *
 * @param service      the service
 * @param release      the release id in that environment ({@code r3})
 * @param image        the image reference it runs, a digest where known
 * @param state        {@code in-progress}, {@code live}, {@code superseded}, {@code rolled-back}, {@code failed}
 * @param liveSince    when it reached 100% of traffic, or null
 * @param analysis     {@code passed}, {@code failed} or {@code none} (its strategy had no analysis)
 * @param lastRollback the last rollback of this service in that environment, or null
 */
public record ReleaseFacts(String service, String release, String image, String state, Instant liveSince,
    String analysis, Instant lastRollback) {
  public static final String LIVE = "live";
  public static final String PASSED = "passed";
  public static final String NONE = "none";
}
