package dev.slipway.store.team;

/**
 * What a transition of a run sets: a state, and optionally a message, release and image (null keeps
 * the stored value). {@code finished} stamps {@code finishedAt}: the run is then no longer active.
 */
public record RunChange(String state, String message, String release, String image, boolean finished) {
  public RunChange {
    if (state == null || state.isBlank()) {
      throw new IllegalArgumentException("a run's state is required");
    }
  }

  /** To {@code state}, the run still active. */
  public static RunChange to(String state) {
    return new RunChange(state, null, null, null, false);
  }

  /** To {@code state}, ending the run. */
  public static RunChange finish(String state, String message) {
    return new RunChange(state, message, null, null, true);
  }

  public RunChange withMessage(String newMessage) {
    return new RunChange(state, newMessage, release, image, finished);
  }

  public RunChange withRelease(String newRelease, String newImage) {
    return new RunChange(state, message, newRelease, newImage, finished);
  }
}
