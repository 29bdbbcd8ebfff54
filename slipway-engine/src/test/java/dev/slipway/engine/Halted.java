package dev.slipway.engine;

/**
 * Thrown at an engine's every further call once it was halted (like {@code kill -9}): an Error, so no
 * {@code catch (RuntimeException e)} of the engine gets to act on it.
 */
final class Halted extends Error {
  private static final long serialVersionUID = 1L;

  Halted(String where) {
    super("halted at " + where, null, false, false);
  }
}
