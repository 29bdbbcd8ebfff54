package dev.slipway.store;

/**
 * A write (or a renewal) by a holder that no longer owns the environment was refused: its lease
 * was taken over by another control plane, expired without being renewed, or was given up. Nothing
 * of the refused call was stored. The holder must stop acting on the environment.
 */
public final class LeaseLostException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final transient Lease lost;
  private final transient Lease current;

  /**
   * @param lost the lease the caller held
   * @param current the environment's lease now, if someone else holds it; else null
   * @param why what happened to {@code lost}, e.g. {@code "it expired at 12:00:11 without being renewed"}
   */
  public LeaseLostException(String operation, Lease lost, Lease current, String why) {
    super(operation, "this control plane no longer owns environment " + lost.environment() + " (lease token "
        + lost.token() + "): " + why, current == null
            ? "it makes no further changes; `slipway up` takes the environment over again"
            : "it makes no further changes; the environment is now run by " + current.holder().describe());
    this.lost = lost;
    this.current = current;
  }

  static LeaseLostException of(String operation, Lease lost, Lease current, java.time.Instant now) {
    if (current != null && current.token() != lost.token()) {
      return new LeaseLostException(operation, lost, current.expiresAt().isAfter(now) ? current : null,
          "control plane " + current.holder().describe() + " took it over at " + TimeText.local(current.acquiredAt())
              + " (lease token " + current.token() + ")");
    }
    if (current == null) {
      return new LeaseLostException(operation, lost, null, "the lease is gone from the state store");
    }
    return new LeaseLostException(operation, lost, null, "it expired at " + TimeText.local(current.expiresAt())
        + " without being renewed");
  }

  /** The lease the refused caller held. */
  public Lease lost() {
    return lost;
  }

  /** The environment's lease when the call was refused, if another holder has it; else null. */
  public Lease current() {
    return current;
  }
}
