package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.store.Lease;
import dev.slipway.store.LeaseHolder;
import dev.slipway.store.LeaseLostException;
import dev.slipway.store.Leases;
import dev.slipway.store.NewRelease;
import dev.slipway.store.StateStore;
import dev.slipway.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's side of a lease, on a real H2 store, with a clock the test moves: the waits
 * and the renewals are driven by hand, so nothing here sleeps.
 */
class EnvironmentLeaseTest {
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final LeaseHolder ME = LeaseHolder.thisProcess("/srv/me/slipway.yaml");
  private static final LeaseHolder OTHER = LeaseHolder.thisProcess("/srv/other/slipway.yaml");

  @TempDir
  Path stateDir;
  private StateStore store;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void open() throws StoreException {
    store = StateStore.open(null, stateDir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void acquire_ofAFreeEnvironment_holdsItAndWritesThroughTheFencedStore() throws Exception {
    EnvironmentLease lease = acquire(d -> { });

    assertThat(lease.lease().token()).isEqualTo(1);
    assertThat(store.leases().current("dev")).contains(lease.lease());
    assertThat(lease.store().createRelease(release()).number()).isEqualTo(1);
    assertThat(progress).isEmpty();
  }

  @Test
  void acquire_whileTheOtherControlPlaneRenewsItsLease_refusesNamingIt() throws Exception {
    Lease[] theirs = {store.leases().acquire("dev", OTHER, TTL)};
    AtomicInteger waits = new AtomicInteger();

    assertThatThrownBy(() -> acquire(d -> {
      waits.incrementAndGet();
      theirs[0] = store.leases().renew(theirs[0], TTL); // alive: it renews while we wait
    }))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.kind()).isEqualTo(EngineException.Kind.CONFLICT);
          assertThat(e.hint()).isEqualTo("stop that control plane first (`slipway down` where it runs: host "
              + OTHER.host() + ", pid " + OTHER.pid() + "), or use another --env or --store");
        })
        .hasMessageStartingWith("environment dev is owned by another control plane: pid " + OTHER.pid() + " on host "
            + OTHER.host() + " (/srv/other/slipway.yaml) since ")
        .hasMessageContaining(", lease until ")
        .hasMessageEndingWith("; it renewed its lease while this one waited, so it is alive");
    assertThat(waits).hasValue(1);
    assertThat(progress).singleElement().asString().startsWith("environment dev is owned by pid " + OTHER.pid());
    assertThat(store.leases().current("dev")).contains(theirs[0]);
  }

  @Test
  void acquire_whileADeadControlPlanesLeaseRunsOut_takesItOverOnceItLapses() throws Exception {
    Lease theirs = store.leases().acquire("dev", OTHER, TTL);
    AtomicInteger waits = new AtomicInteger();

    EnvironmentLease mine = acquire(d -> {
      if (waits.incrementAndGet() == 3) {
        store.leases().release(theirs); // what its expiry does, without waiting 10 s for it
      }
    });

    assertThat(waits).hasValue(3);
    assertThat(mine.lease().token()).isEqualTo(theirs.token() + 1);
    assertThat(mine.lease().holder()).isEqualTo(ME);
    assertThat(progress).hasSize(2);
    assertThat(progress.get(1)).isEqualTo("took over environment dev: the lease of " + OTHER.describe()
        + " lapsed, so that control plane is gone");
  }

  @Test
  void renewOnce_inTime_extendsTheLease() throws Exception {
    EnvironmentLease lease = acquire(d -> { });
    Lease before = lease.lease();
    now.addAndGet(Duration.ofSeconds(3).toNanos());

    assertThat(lease.renewOnce()).isTrue();

    assertThat(lease.lease().expiresAt()).isAfter(before.expiresAt());
    assertThat(lease.isLost()).isFalse();
    now.addAndGet(Duration.ofSeconds(8).toNanos()); // 11 s after the acquisition, 8 s after the renewal
    assertThat(lease.renewOnce()).isTrue();
    assertThat(lease.isLost()).isFalse();
  }

  @Test
  void renewOnce_afterAnotherControlPlaneTookTheLease_losesItStopsWritingAndSaysWhy() throws Exception {
    EnvironmentLease lease = acquire(d -> { });
    List<String> told = new ArrayList<>();
    lease.onLost(told::add);
    store.leases().release(lease.lease()); // as if it had lapsed
    Lease theirs = store.leases().acquire("dev", OTHER, TTL);

    assertThat(lease.renewOnce()).isFalse();

    assertThat(lease.isLost()).isTrue();
    assertThat(told).singleElement().asString()
        .startsWith("this control plane no longer owns environment dev (lease token 1): control plane "
            + OTHER.describe() + " took it over at ")
        .endsWith("(lease token 2)");
    assertThatThrownBy(() -> lease.store().createRelease(release())).isInstanceOf(LeaseLostException.class);
    List<String> late = new ArrayList<>();
    lease.onLost(late::add);
    assertThat(late).as("a listener added after the loss hears of it at once").hasSize(1);
    lease.close();
    assertThat(store.leases().current("dev")).as("closing a lost lease leaves the new holder's alone").contains(theirs);
  }

  @Test
  void renewOnce_pastTheLocalDeadline_losesTheLeaseWithoutAskingTheStore() throws Exception {
    EnvironmentLease lease = acquire(d -> { });
    now.addAndGet(TTL.minus(EnvironmentLease.MARGIN).toNanos());

    assertThat(lease.renewOnce()).isFalse();

    assertThat(lease.isLost()).isTrue();
    assertThatThrownBy(() -> lease.store().createRelease(release()))
        .as("the store would still take it; this control plane no longer writes")
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("it stopped acting on the environment");
    assertThat(store.leases().current("dev")).as("the store still shows the lease until it lapses").isPresent();
  }

  @Test
  void renewOnce_whenTheStoreDoesNotAnswerBeforeTheLeaseRunsOut_losesIt() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Leases stuck = new DelegatingLeases(store.leases()) {
      @Override
      public Lease renew(Lease lease, Duration ttl) throws StoreException {
        try {
          never.await(); // a database that does not answer
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new StoreException("renew", "interrupted", null);
      }
    };
    EnvironmentLease lease = EnvironmentLease.acquire(stuck, "dev", ME, TTL, progress::add, now::get, d -> { });
    // 50 ms of real time left before the local deadline: the renewal is given exactly that.
    now.addAndGet(TTL.minus(EnvironmentLease.MARGIN).minusMillis(50).toNanos());

    assertThat(lease.renewOnce()).isFalse();

    assertThat(lease.isLost()).isTrue();
    assertThatThrownBy(() -> lease.store().createRelease(release())).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void renewOnce_whenTheStoreFailsOnce_triesAgainAndKeepsTheLease() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Leases flaky = new DelegatingLeases(store.leases()) {
      @Override
      public Lease renew(Lease lease, Duration ttl) throws StoreException {
        if (calls.incrementAndGet() == 1) {
          throw new StoreException("renew the lease", "lost the connection to the state store", null);
        }
        return super.renew(lease, ttl);
      }
    };
    EnvironmentLease lease = EnvironmentLease.acquire(flaky, "dev", ME, TTL, progress::add, now::get, d -> { });

    assertThat(lease.renewOnce()).isFalse();
    assertThat(lease.renewOnce()).isTrue();

    assertThat(lease.isLost()).isFalse();
    assertThat(progress).singleElement().asString()
        .startsWith("could not renew the lease on environment dev (trying again until ")
        .endsWith("lost the connection to the state store");
  }

  @Test
  void close_givesTheLeaseUp_soTheNextControlPlaneTakesItAtOnce() throws Exception {
    EnvironmentLease lease = acquire(d -> { });

    lease.close();

    assertThat(store.leases().current("dev")).isEmpty();
    assertThat(store.leases().acquire("dev", OTHER, TTL).token()).isEqualTo(2);
    assertThatThrownBy(() -> lease.store().createRelease(release())).isInstanceOf(LeaseLostException.class);
  }

  /** What the test does while the lease's acquisition waits (instead of the time passing). */
  private interface OnWait {
    void run(Duration d) throws Exception;
  }

  private EnvironmentLease acquire(OnWait onWait) throws EngineException {
    return EnvironmentLease.acquire(store.leases(), "dev", ME, TTL, progress::add, now::get, d -> {
      now.addAndGet(d.toNanos());
      try {
        onWait.run(d);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static NewRelease release() {
    return new NewRelease("dev", "api", "1", null, "{}", "{}", "test");
  }

  /** The store's leases, with one call replaced by a test. */
  private static class DelegatingLeases implements Leases {
    private final Leases real;

    DelegatingLeases(Leases real) {
      this.real = real;
    }

    @Override
    public Lease acquire(String environment, LeaseHolder holder, Duration ttl) throws StoreException {
      return real.acquire(environment, holder, ttl);
    }

    @Override
    public Lease renew(Lease lease, Duration ttl) throws StoreException {
      return real.renew(lease, ttl);
    }

    @Override
    public void release(Lease lease) throws StoreException {
      real.release(lease);
    }

    @Override
    public Optional<Lease> current(String environment) throws StoreException {
      return real.current(environment);
    }

    @Override
    public StateStore fenced(Lease lease) {
      return real.fenced(lease);
    }
  }
}
