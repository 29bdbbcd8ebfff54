package dev.slipway.store;

/** The store contract on the default H2 file database. */
class H2StateStoreTest extends StateStoreContract {
  @Override
  protected String newDatabase() {
    return null;
  }
}
