package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * What leases and fenced writes must do, on H2 ({@link H2LeaseTest}) and PostgreSQL
 * ({@link PostgresLeaseIT}). Two holders in this process stand for two control planes; each opens
 * the store on a connection of its own.
 */
abstract class LeaseContract extends StoreFixture {
  static final Duration TTL = Duration.ofSeconds(30);
  /** Long enough to see a write succeed under it, short enough to wait out in a test. */
  static final Duration SHORT = Duration.ofMillis(700);
  static final LeaseHolder A = LeaseHolder.thisProcess("/srv/a/slipway.yaml");
  static final LeaseHolder B = LeaseHolder.thisProcess("/srv/b/slipway.yaml");

  @Test
  void acquire_ofAFreeEnvironment_givesTokenOneUntilTheTtl() throws Exception {
    StateStore store = open();

    Lease lease = store.leases().acquire("prod", A, TTL);

    assertThat(lease.token()).isEqualTo(1);
    assertThat(lease.holder()).isEqualTo(A);
    assertThat(Duration.between(lease.acquiredAt(), lease.expiresAt())).isEqualTo(TTL);
    assertThat(store.leases().current("prod")).contains(lease);
    assertThat(store.leases().current("staging")).isEmpty();
  }

  @Test
  void acquire_whileAnotherHolderHasIt_isRefusedNamingHostPidSinceAndUntil() throws Exception {
    Lease a = open().leases().acquire("prod", A, TTL);

    assertThatThrownBy(() -> open().leases().acquire("prod", B, TTL))
        .isInstanceOfSatisfying(LeaseHeldException.class, e -> {
          assertThat(e.held()).isEqualTo(a);
          assertThat(e.remaining()).isPositive().isLessThanOrEqualTo(TTL);
        })
        .hasMessageStartingWith("environment prod is owned by another control plane: pid " + A.pid() + " on host "
            + A.host() + " (/srv/a/slipway.yaml) since " + TimeText.local(a.acquiredAt()) + ", lease until "
            + TimeText.local(a.expiresAt()))
        .hasMessageEndingWith("if it is gone, its lease lapses by itself");
    assertThat(open().leases().acquire("staging", B, TTL).token()).as("other environments are free").isEqualTo(1);
  }

  @Test
  void acquire_afterTheHolderLetItExpire_takesItOverWithAHigherToken() throws Exception {
    Lease a = open().leases().acquire("prod", A, SHORT);
    awaitExpiry(a);

    Lease b = open().leases().acquire("prod", B, TTL);

    assertThat(b.token()).isEqualTo(a.token() + 1);
    assertThat(b.holder()).isEqualTo(B);
    assertThat(open().leases().current("prod")).contains(b);
  }

  @Test
  void release_letsTheNextHolderTakeItAtOnce_andTheTokenStillGrows() throws Exception {
    StateStore store = open();
    Lease a = store.leases().acquire("prod", A, TTL);

    store.leases().release(a);

    assertThat(store.leases().current("prod")).isEmpty();
    Lease b = open().leases().acquire("prod", B, TTL);
    assertThat(b.token()).isEqualTo(2);
    store.leases().release(a); // no longer a's: changes nothing
    assertThat(store.leases().current("prod")).contains(b);
  }

  @Test
  void renew_extendsTheLeaseFromNow() throws Exception {
    StateStore store = open();
    Lease a = store.leases().acquire("prod", A, SHORT);

    Lease renewed = store.leases().renew(a, TTL);

    assertThat(renewed.token()).isEqualTo(a.token());
    assertThat(renewed.acquiredAt()).isEqualTo(a.acquiredAt());
    assertThat(renewed.expiresAt()).isEqualTo(renewed.renewedAt().plus(TTL)).isAfter(a.expiresAt());
    Thread.sleep(SHORT.toMillis() + 100);
    assertThatThrownBy(() -> open().leases().acquire("prod", B, TTL)).isInstanceOf(LeaseHeldException.class);
  }

  @Test
  void renew_afterAnotherTookItOver_isRefusedNamingTheNewHolder() throws Exception {
    StateStore store = open();
    Lease a = store.leases().acquire("prod", A, SHORT);
    awaitExpiry(a);
    Lease b = open().leases().acquire("prod", B, TTL);

    assertThatThrownBy(() -> store.leases().renew(a, TTL))
        .isInstanceOfSatisfying(LeaseLostException.class, e -> {
          assertThat(e.lost()).isEqualTo(a);
          assertThat(e.current()).isEqualTo(b);
        })
        .hasMessageContaining("this control plane no longer owns environment prod (lease token 1): control plane pid "
            + B.pid() + " on host " + B.host() + " (/srv/b/slipway.yaml) took it over at ")
        .hasMessageContaining("(lease token 2)");
  }

  @Test
  void renew_afterItExpired_isRefusedEvenIfNobodyTookIt() throws Exception {
    StateStore store = open();
    Lease a = store.leases().acquire("prod", A, SHORT);
    awaitExpiry(a);

    assertThatThrownBy(() -> store.leases().renew(a, TTL))
        .isInstanceOfSatisfying(LeaseLostException.class, e -> assertThat(e.current()).isNull())
        .hasMessageContaining("(lease token 1): it expired at " + TimeText.local(a.expiresAt()) + " without being renewed");
  }

  // --- fenced writes ---

  @Test
  void fencedStore_whileTheLeaseIsHeld_writesAsUsual() throws Exception {
    StateStore store = open();
    StateStore fenced = store.leases().fenced(store.leases().acquire("prod", A, TTL));

    Release r = fenced.createRelease(newRelease());
    Deployment d = fenced.startDeployment(new NewDeployment("prod", "api", null, r.id(), "rolling", null));
    d = fenced.update(d.withState(DeploymentState.RUNNING));
    fenced.setCurrentRelease("prod", "api", r.id());
    fenced.appendEvent(new NewEvent("prod", "api", d.id(), "test", "hello", null));

    assertThat(store.deployment(d.id()).orElseThrow().state()).isEqualTo(DeploymentState.RUNNING);
    assertThat(store.currentRelease("prod", "api")).contains(r.id());
    assertThat(store.events("prod", null, 0, 10)).extracting(StoredEvent::message).containsExactly("hello");
  }

  @Test
  void fencedStore_withAStaleToken_refusesEveryWriteAndStoresNothing() throws Exception {
    TakenOver t = takenOverAfterAWrote();
    StateStore fenced = t.stale();
    Release r = t.release();
    Deployment d = t.deployment();
    StateStore b = t.b();
    Lease theirs = t.theirs();

    assertLost(() -> fenced.createRelease(newRelease()), theirs);
    assertLost(() -> fenced.startDeployment(new NewDeployment("prod", "web", null, r.id(), "rolling", null)), theirs);
    assertLost(() -> fenced.update(d.withState(DeploymentState.RUNNING)), theirs);
    assertLost(() -> fenced.setCurrentRelease("prod", "api", r.id()), theirs);
    assertLost(() -> fenced.appendEvent(new NewEvent("prod", "api", d.id(), "test", "stale", null)), theirs);
    assertThat(b.releases("prod", "api")).hasSize(1);
    assertThat(b.deployment(d.id())).contains(d);
    assertThat(b.currentRelease("prod", "api")).isEmpty();
    assertThat(b.events("prod", null, 0, 10)).isEmpty();
  }

  @Test
  void fencedStore_ofTheNewHolder_writesWhileTheOldOnesAreRefused() throws Exception {
    TakenOver t = takenOverAfterAWrote();
    StateStore current = t.b().leases().fenced(t.theirs());

    Deployment taken = current.update(t.deployment().withState(DeploymentState.ABORTED).withReason("taken over"));

    assertThatThrownBy(() -> t.stale().startDeployment(
        new NewDeployment("prod", "api", null, t.release().id(), "rolling", null)))
        .isInstanceOf(LeaseLostException.class);
    assertThat(t.b().deployment(t.deployment().id())).contains(taken);
    assertThat(t.b().activeDeployments("prod")).isEmpty();
  }

  @Test
  void fencedStore_afterTheLeaseExpired_refusesWritesEvenIfNobodyTookIt() throws Exception {
    StateStore store = open();
    Lease lease = store.leases().acquire("prod", A, SHORT);
    StateStore fenced = store.leases().fenced(lease);
    awaitExpiry(lease);

    assertThatThrownBy(() -> fenced.createRelease(newRelease()))
        .isInstanceOfSatisfying(LeaseLostException.class, e -> assertThat(e.current()).isNull())
        .hasMessageContaining("it expired at")
        .hasMessageEndingWith("it makes no further changes; `slipway up` takes the environment over again");
    assertThat(store.releases("prod", "api")).isEmpty();
  }

  @Test
  void fencedStore_refusesWritesToAnotherEnvironment() throws Exception {
    StateStore store = open();
    StateStore fenced = store.leases().fenced(store.leases().acquire("prod", A, TTL));

    assertThatThrownBy(() -> fenced.createRelease(new NewRelease("staging", "api", "1", null, "{}", "{}", "t")))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("this control plane holds the lease on environment prod, not on staging");
    assertThat(store.releases("staging", "api")).isEmpty();
  }

  @Test
  void fencedStore_onceClosed_refusesWritesButLeavesTheStoreOpen() throws Exception {
    StateStore store = open();
    StateStore fenced = store.leases().fenced(store.leases().acquire("prod", A, TTL));
    Release r = fenced.createRelease(newRelease());

    fenced.close();

    assertThatThrownBy(() -> fenced.setCurrentRelease("prod", "api", r.id()))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("it stopped acting on the environment");
    assertThat(fenced.releases("prod", "api")).as("reads still work").hasSize(1);
    assertThat(store.createRelease(newRelease()).number()).isEqualTo(2);
  }

  @Test
  void fencedWrite_racingATakeOverThatHasNotCommitted_waitsForItAndIsRefused() throws Exception {
    StateStore store = open();
    StateStore fenced = store.leases().fenced(store.leases().acquire("prod", A, TTL));
    try (Connection other = connect(); Statement s = other.createStatement();
         ExecutorService pool = Executors.newSingleThreadExecutor()) {
      // Another control plane, halfway through taking the lease: the new token is not committed yet.
      s.executeUpdate("UPDATE leases SET token = token + 1 WHERE environment = 'prod'");
      Future<Release> write = pool.submit(() -> fenced.createRelease(newRelease()));
      Thread.sleep(500);
      assertThat(write.isDone()).as("the write waits on the lease row instead of reading the old token").isFalse();

      other.commit();

      assertThatThrownBy(() -> write.get(15, TimeUnit.SECONDS))
          .hasCauseInstanceOf(LeaseLostException.class);
    }
    assertThat(store.releases("prod", "api")).isEmpty();
  }

  private static void assertLost(ThrowingCallable write, Lease current) {
    assertThatThrownBy(write)
        .isInstanceOfSatisfying(LeaseLostException.class, e -> assertThat(e.current()).isEqualTo(current))
        .hasMessageContaining("this control plane no longer owns environment prod (lease token 1)")
        .hasMessageEndingWith("it makes no further changes; the environment is now run by " + B.describe());
  }

  static NewRelease newRelease() {
    return new NewRelease("prod", "api", "1.0", null, "{}", "{}", "test");
  }

  /** What A wrote under a short lease (a release, a deployment) and A's fenced store, once B took the expired lease. */
  record TakenOver(StateStore stale, Release release, Deployment deployment, StateStore b, Lease theirs) {}

  TakenOver takenOverAfterAWrote() throws Exception {
    StateStore a = open();
    Lease mine = a.leases().acquire("prod", A, SHORT);
    StateStore stale = a.leases().fenced(mine);
    Release r = stale.createRelease(newRelease());
    Deployment d = stale.startDeployment(new NewDeployment("prod", "api", null, r.id(), "rolling", null));
    awaitExpiry(mine);
    StateStore b = open();
    return new TakenOver(stale, r, d, b, b.leases().acquire("prod", B, TTL));
  }

  /** Waits until the database's clock has passed the lease's expiry. */
  void awaitExpiry(Lease lease) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    StateStore s = open();
    while (s.leases().current(lease.environment()).filter(l -> l.token() == lease.token()).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("lease " + lease + " did not expire");
      }
      Thread.sleep(50);
    }
  }
}
