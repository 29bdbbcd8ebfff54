package dev.slipway.store.team;

/**
 * What a transition of a promotion sets: a state, and optionally an outcome and a new view (null
 * keeps the stored value). {@code finished} stamps {@code finishedAt}.
 */
public record PromotionChange(String state, String outcome, String viewJson, boolean finished) {
  public PromotionChange {
    if (state == null || state.isBlank()) {
      throw new IllegalArgumentException("a promotion's state is required");
    }
  }

  /** To {@code state}, the promotion still open. */
  public static PromotionChange to(String state) {
    return new PromotionChange(state, null, null, false);
  }

  /** To a terminal {@code state}, with how it ended. */
  public static PromotionChange finish(String state, String outcome) {
    return new PromotionChange(state, outcome, null, true);
  }

  public PromotionChange withOutcome(String newOutcome) {
    return new PromotionChange(state, newOutcome, viewJson, finished);
  }

  public PromotionChange withView(String newViewJson) {
    return new PromotionChange(state, outcome, newViewJson, finished);
  }
}
