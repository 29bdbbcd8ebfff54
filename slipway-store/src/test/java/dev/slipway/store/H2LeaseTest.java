package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Leases on the default H2 file database, which one process at a time can open. */
class H2LeaseTest extends LeaseContract {
  @Override
  protected String newDatabase() {
    return null;
  }

  @Test
  void acquire_ofALeaseLeftByAnotherProcess_takesItAtOnce() throws Exception {
    StateStore store = open();
    // What a control plane killed with -9 leaves: its lease, unexpired, written by another process.
    LeaseHolder dead = new LeaseHolder("build-1", 4242, "another-process", "/srv/a/slipway.yaml");
    Lease left = store.leases().acquire("prod", dead, TTL);

    Lease taken = store.leases().acquire("prod", A, TTL);

    assertThat(taken.token()).isEqualTo(left.token() + 1);
    assertThat(store.leases().current("prod")).contains(taken);
  }
}
