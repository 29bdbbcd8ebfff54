package dev.slipway.store.team;

import dev.slipway.store.StoreException;

/**
 * The change contradicts what is stored: a user name already taken, a second decision by the same
 * user on a promotion. The server answers 409 with {@link #getMessage()}.
 */
public final class TeamConflictException extends StoreException {
  private static final long serialVersionUID = 1L;

  public TeamConflictException(String operation, String problem, String hint) {
    super(operation, problem, hint);
  }
}
