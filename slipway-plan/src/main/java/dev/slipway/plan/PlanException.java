package dev.slipway.plan;

/** A model that cannot be planned. The message says why. */
public final class PlanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PlanException(String message) {
    super(message);
  }
}
