package dev.slipway.plan.promotion;

/**
 * One promotion gate and whether it holds.
 *
 * @param name  {@code verified}, {@code soak}, {@code approvals}, {@code window} or {@code freeze}
 * @param holds whether it lets the promotion run
 * @param text  what holds or is missing, for a person ("soak 45m of 1h", "needs 1 approval from release")
 */
public record Gate(String name, boolean holds, String text) {
  public static final String VERIFIED = "verified";
  public static final String SOAK = "soak";
  public static final String APPROVALS = "approvals";
  public static final String WINDOW = "window";
  public static final String FREEZE = "freeze";
}
