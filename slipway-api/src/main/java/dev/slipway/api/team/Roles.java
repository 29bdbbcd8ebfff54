package dev.slipway.api.team;

import java.util.List;

/**
 * The built-in roles and what each may do (docs/promotion.md has the table). A user may also hold any
 * other role name: such a role grants nothing by itself, but counts where an environment's
 * {@code promotion.approvers} lists it.
 */
public final class Roles {
  private Roles() {}

  /** Everything: users and roles, freezes, overriding a freeze (recorded). */
  public static final String ADMIN = "admin";
  /** Deploy, roll back, abort, request promotions, previews. */
  public static final String DEPLOYER = "deployer";
  /** Approve or reject promotions into environments whose approvers include it (the default). */
  public static final String APPROVER = "approver";
  /** Read everything (status, releases, promotions, audit, previews); every user has it. */
  public static final String VIEWER = "viewer";

  public static final List<String> BUILT_IN = List.of(ADMIN, DEPLOYER, APPROVER, VIEWER);
}
