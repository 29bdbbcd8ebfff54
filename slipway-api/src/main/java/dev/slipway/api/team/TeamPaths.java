package dev.slipway.api.team;

/**
 * The team server's HTTP API paths ({@code slipway server}), documented in {@code docs/promotion.md}.
 * Every call but {@link #HEALTH} carries {@code Authorization: Bearer TOKEN}; a missing or unknown token
 * is 401, a known user without the role the call needs is 403 naming the role.
 */
public final class TeamPaths {
  private TeamPaths() {}

  public static final String PREFIX = "/api/v1/team";
  /** GET: 200 when the server runs (no token needed). */
  public static final String HEALTH = PREFIX + "/health";
  /** GET {@link WhoAmIView}. */
  public static final String WHOAMI = PREFIX + "/whoami";
  /** GET [{@link UserView}]; POST {@link NewUserRequest} → {@link NewUserResponse} (admin). */
  public static final String USERS = PREFIX + "/users";
  /** PUT {@code /users/NAME/roles} {@link RolesRequest} → {@link UserView} (admin). */
  public static final String USER = PREFIX + "/users/";
  /** GET [{@link EnvironmentView}]. */
  public static final String ENVIRONMENTS = PREFIX + "/environments";
  /**
   * Under {@code /environments/ENV/}: {@code services/SVC/deploy} POST {@link ServerDeployRequest} → 202
   * {@link RunView}; {@code services/SVC/rollback} POST {@link ServerRollbackRequest} → 202 {@link RunView};
   * {@code services/SVC/abort} POST → 202 {@link RunView}; {@code services/SVC/promote} (a canary's
   * next step) POST → 202 {@link RunView}; {@code releases} GET [{@link ServerReleaseView}];
   * {@code freeze} PUT {@link FreezeRequest} → {@link FreezeView}, DELETE → 204.
   */
  public static final String ENVIRONMENT = PREFIX + "/environments/";
  /** GET [{@link RunView}] ({@code ?env=E}); {@code /runs/ID?waitSeconds=N} long-polls until the run changes or ends. */
  public static final String RUNS = PREFIX + "/runs";
  /**
   * GET [{@link PromotionView}] ({@code ?env=E}); POST {@link PromotionRequest} → 201 {@link PromotionView}
   * (gates that do not hold yet leave it {@code waiting}); {@code ?dryRun=true} → 200, nothing stored.
   * {@code /promotions/ID} GET; {@code /promotions/ID/approve} and {@code /reject} POST {@link DecisionRequest}.
   */
  public static final String PROMOTIONS = PREFIX + "/promotions";
  /** GET [{@link AuditEntryView}] ({@code ?env=E&since=ISO&afterSeq=N&limit=N}), oldest first. */
  public static final String AUDIT = PREFIX + "/audit";
  /** GET the latest {@link CheckpointView}; POST signs one now and returns it. */
  public static final String AUDIT_CHECKPOINT = PREFIX + "/audit/checkpoint";
  /** GET every stored {@link CheckpointView}, oldest first. */
  public static final String AUDIT_CHECKPOINTS = PREFIX + "/audit/checkpoints";
  /** GET [{@link PreviewView}]; POST {@link PreviewRequest} → 201 {@link PreviewView}; DELETE {@code /previews/NAME} → 200 {@link PreviewView}. */
  public static final String PREVIEWS = PREFIX + "/previews";

  /** The environment variables the CLI reads before {@code slipway login}'s file. */
  public static final String SERVER_VARIABLE = "SLIPWAY_SERVER";
  public static final String TOKEN_VARIABLE = "SLIPWAY_TOKEN";
}
