package dev.slipway.server.team;

/**
 * What a run is asked to do, before it is persisted.
 *
 * @param kind           {@code deploy}, {@code rollback}, {@code abort}, {@code promote-step}
 * @param environment    a kubernetes environment of the model
 * @param service        the service
 * @param requestedBy    the user it runs for
 * @param image          a whole image reference (a promotion's exact image), or null
 * @param imageTag       the model's image with this tag, or null
 * @param strategy       a strategy id instead of the model's, or null
 * @param toRelease      a rollback's target release ({@code r2}), or null for the previous one
 * @param reason         why (recorded in the audit), or null
 * @param overrideFreeze deploy into a frozen environment (the route checks the caller is an admin)
 * @param promotionId    the promotion it runs for, or 0 for a direct action
 */
public record RunRequest(String kind, String environment, String service, String requestedBy, String image,
    String imageTag, String strategy, String toRelease, String reason, boolean overrideFreeze, long promotionId) {

  public static final String DEPLOY = "deploy";
  public static final String ROLLBACK = "rollback";
  public static final String ABORT = "abort";
  public static final String PROMOTE_STEP = "promote-step";

  /** A deploy of {@code image} for a promotion (target's strategy; protected and freeze already judged by its gates). */
  public static RunRequest forPromotion(String environment, String service, String requestedBy, String image,
      long promotionId) {
    return new RunRequest(DEPLOY, environment, service, requestedBy, image, null, null, null, null, false, promotionId);
  }
}
