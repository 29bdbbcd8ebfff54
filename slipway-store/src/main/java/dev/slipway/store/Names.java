package dev.slipway.store;

/** Argument checks shared by the records: a programming error, not a store failure. */
final class Names {
  private Names() {}

  static void require(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
