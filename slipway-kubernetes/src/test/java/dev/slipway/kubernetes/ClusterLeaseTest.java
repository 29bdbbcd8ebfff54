package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ClusterLeaseTest {
  static final String NS = "shop-staging";

  KubernetesMockServer server;
  KubernetesClient client;

  private ClusterLease lease(String runner, Duration ttl) {
    return lease(client, runner, ttl);
  }

  private ClusterLease lease(KubernetesClient c, String runner, Duration ttl) {
    return new ClusterLease(ClusterConnection.of(c, "mock", NS, new ConnectOptions(null, null, runner, ttl)));
  }

  private Lease stored() {
    return client.leases().inNamespace(NS).withName("slipway-api").get();
  }

  @Test
  void aFreeLease_isTaken_withHolderTtlAndTimes() throws Exception {
    try (ClusterLease.Held held = lease("alice@laptop (pid 1)", Duration.ofSeconds(30)).acquire("api", null)) {
      Lease l = stored();
      assertThat(l.getSpec().getHolderIdentity()).isEqualTo("alice@laptop (pid 1)");
      assertThat(l.getSpec().getLeaseDurationSeconds()).isEqualTo(30);
      assertThat(l.getSpec().getAcquireTime()).isNotNull();
      assertThat(l.getSpec().getRenewTime()).isNotNull();
      assertThat(l.getSpec().getLeaseTransitions()).isZero();
      assertThat(l.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "slipway");
      held.check();
      assertThat(lease("x", Duration.ofSeconds(30)).holder("api")).hasValueSatisfying(h -> assertThat(h)
          .startsWith("alice@laptop (pid 1) since "));
    }
    assertThat(stored().getSpec().getHolderIdentity()).isNull();
    assertThat(lease("x", Duration.ofSeconds(30)).holder("api")).isEmpty();
  }

  @Test
  void aHeldLease_refusesAtOnce_withExitThree_namingHolderSinceAndExpiry_andSuggestingQueue() throws Exception {
    try (ClusterLease.Held held = lease("alice@laptop (pid 1)", Duration.ofSeconds(30)).acquire("api", null)) {
      Instant before = Instant.now();
      assertThatThrownBy(() -> lease("bob@ci (pid 2)", Duration.ofSeconds(30)).acquire("api", null))
          .isInstanceOf(KubernetesException.class)
          .hasMessageContaining("api is being released by alice@laptop (pid 1) since 20")
          .hasMessageContaining("Lease slipway-api in namespace shop-staging")
          .hasMessageContaining("expires at")
          .satisfies(e -> {
            KubernetesException k = (KubernetesException) e;
            assertThat(k.exitCode()).isEqualTo(KubernetesException.HELD);
            assertThat(k.fix()).contains("--queue 10m");
            assertThat(k.namespace()).isEqualTo(NS);
          });
      assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(2));
      held.check();
    }
  }

  /**
   * Runners racing for the same Lease: exactly one wins. Every write carries the resourceVersion it
   * read, which the mock enforces on PUT as the API server does (a PUT without one would be accepted
   * by both: that is why the take-over never omits it).
   */
  @Test
  void runnersRacing_forAFreeAndForAnExpiredLease_exactlyOneWins() throws Exception {
    for (boolean expired : new boolean[] {false, true}) {
      if (expired) {
        plantDeadRunnersLease(Instant.now().minusSeconds(60));
      }
      int n = 12;
      CountDownLatch start = new CountDownLatch(1);
      List<Future<ClusterLease.Held>> results = new ArrayList<>();
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < n; i++) {
          ClusterLease mine = lease("runner-" + i, Duration.ofSeconds(30));
          results.add(threads.submit(() -> {
            start.await();
            try {
              return mine.acquire("api", null);
            } catch (KubernetesException e) {
              assertThat(e.exitCode()).isEqualTo(KubernetesException.HELD);
              return null;
            }
          }));
        }
        start.countDown();
      }
      List<ClusterLease.Held> winners = new ArrayList<>();
      for (Future<ClusterLease.Held> f : results) {
        if (f.get() != null) {
          winners.add(f.get());
        }
      }
      assertThat(winners).as(expired ? "take-over of an expired Lease" : "a free Lease").hasSize(1);
      assertThat(stored().getSpec().getHolderIdentity()).startsWith("runner-");
      if (expired) {
        assertThat(stored().getSpec().getLeaseTransitions()).isEqualTo(4); // the planted 3, plus one
      }
      winners.get(0).close();
      client.leases().inNamespace(NS).withName("slipway-api").delete();
    }
  }

  @Test
  void aKilledRunnersLease_expires_andTheNextAcquireTakesItOver() throws Exception {
    // A runner killed with SIGKILL leaves exactly this: a Lease nobody renews.
    plantDeadRunnersLease(Instant.now());
    assertThatThrownBy(() -> lease("bob@ci", Duration.ofSeconds(2)).acquire("api", null))
        .hasMessageContaining("dead@ci");
    Thread.sleep(2_100);
    try (ClusterLease.Held held = lease("bob@ci", Duration.ofSeconds(30)).acquire("api", null)) {
      assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("bob@ci");
      assertThat(stored().getSpec().getLeaseTransitions()).isEqualTo(4);
      held.check();
    }
  }

  @Test
  void aHolderThatCannotRenew_losesTheLease_andCheckSaysSo() throws Exception {
    KubernetesClient partitioned = server.createClient();
    ClusterLease.Held a = lease(partitioned, "alice@laptop", Duration.ofSeconds(1)).acquire("api", null);
    partitioned.close(); // its renewals now fail, as on a runner cut off from the cluster
    Thread.sleep(1_100);
    try (ClusterLease.Held b = lease("bob@ci", Duration.ofSeconds(30)).acquire("api", null)) {
      assertThatThrownBy(a::check).isInstanceOf(KubernetesException.class).hasMessageContaining("lost the Lease slipway-api");
      a.close(); // must not clear bob's Lease
      assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("bob@ci");
      b.check();
    }
  }

  @Test
  void whenTheRunnersClientCloses_renewalStopsQuietly() throws Exception {
    List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    try {
      KubernetesClient own = server.createClient();
      ClusterLease.Held a = lease(own, "alice@laptop", Duration.ofMillis(600)).acquire("api", null);
      own.close(); // the runner ends: its client closes, as when a command returns with the Lease still held
      Thread.sleep(900);
      assertThat(uncaught).as("the renewal thread's uncaught exceptions").isEmpty();
      a.close(); // gives up quietly too: the Lease expires by itself
      assertThat(uncaught).isEmpty();
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  @Test
  void whenRenewalsFailWhileTheRunnerLives_theRenewerMarksTheLeaseLost() throws Exception {
    dev.slipway.kubernetes.sim.MockCluster other = new dev.slipway.kubernetes.sim.MockCluster();
    KubernetesClient c = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
        new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
            .withMasterUrl(other.url().toString()).withRequestRetryBackoffLimit(0).build()).build();
    try {
      ClusterLease.Held a = lease(c, "alice@laptop", Duration.ofSeconds(1)).acquire("api", null);
      other.close(); // the cluster is gone; the runner and its client live on
      Thread.sleep(1_600);
      // The renewer's own words ("could not be renewed"), not check()'s reading of the clock ("was not renewed").
      assertThatThrownBy(a::check).hasMessageContaining("lost the Lease slipway-api")
          .hasMessageContaining("it could not be renewed within its TTL");
      a.close();
    } finally {
      c.close();
    }
  }

  @Test
  void aRenewingHolder_keepsTheLeasePastItsTtl_andATakeOverAfterExpiryIsSeenByCheck() throws Exception {
    ClusterLease.Held a = lease("alice@laptop", Duration.ofSeconds(1)).acquire("api", null);
    Thread.sleep(2_500);
    a.check();
    assertThatThrownBy(() -> lease("bob@ci", Duration.ofSeconds(30)).acquire("api", null))
        .hasMessageContaining("alice@laptop");
    // Another runner takes it over behind alice's back (as after a long pause of hers): her next renewal sees it.
    Lease l = stored();
    client.leases().inNamespace(NS).resource(new LeaseBuilder(l).editMetadata()
        .addToAnnotations(ClusterLease.TOKEN, "someone-else").endMetadata().editSpec().withHolderIdentity("carol@ci")
        .endSpec().build()).update();
    Thread.sleep(700);
    assertThatThrownBy(a::check).hasMessageContaining("taken over by carol@ci");
    a.close();
    assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("carol@ci");
  }

  @Test
  void aQueuedAcquire_waitsOnAWatch_andGetsTheLeaseWhenTheHolderCloses_withoutWaitingForExpiry() throws Exception {
    ClusterLease.Held a = lease("alice@laptop", Duration.ofSeconds(60)).acquire("api", null);
    try (a; ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      ClusterLease bob = lease("bob@ci", Duration.ofSeconds(60));
      Future<ClusterLease.Held> queued = threads.submit(() -> bob.acquire("api", Duration.ofSeconds(30)));
      // Waiting is a watch on the Lease, not polling: once the watch is open (and its first event read),
      // no read while nothing changes.
      long reads = settled(bob);
      Thread.sleep(2_500);
      assertThat(bob.reads()).as("reads while queued").isEqualTo(reads);
      assertThat(queued).isNotDone();
      Instant closed = Instant.now();
      a.close();
      try (ClusterLease.Held b = queued.get()) {
        assertThat(Duration.between(closed, Instant.now())).isLessThan(Duration.ofSeconds(5));
        assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("bob@ci");
        b.check();
      }
    }
  }

  @Test
  void aQueuedAcquire_failsAtItsDeadline_namingTheHolder() throws Exception {
    try (ClusterLease.Held a = lease("alice@laptop", Duration.ofSeconds(60)).acquire("api", null)) {
      Instant start = Instant.now();
      assertThatThrownBy(() -> lease("bob@ci", Duration.ofSeconds(60)).acquire("api", Duration.ofMillis(800)))
          .isInstanceOf(KubernetesException.class)
          .hasMessageContaining("waited 0s for api's Lease slipway-api")
          .hasMessageContaining("alice@laptop still holds it")
          .satisfies(e -> assertThat(((KubernetesException) e).exitCode()).isEqualTo(KubernetesException.HELD));
      assertThat(Duration.between(start, Instant.now())).isBetween(Duration.ofMillis(750), Duration.ofSeconds(5));
    }
  }

  private static long settled(ClusterLease waiting) throws InterruptedException {
    long before;
    long now = waiting.reads();
    do {
      before = now;
      Thread.sleep(500);
      now = waiting.reads();
    } while (now != before || now < 2);
    return now;
  }

  private void plantDeadRunnersLease(Instant renewed) {
    client.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName("slipway-api")
        .addToAnnotations(ClusterLease.TOKEN, "dead-token").endMetadata().withNewSpec().withHolderIdentity("dead@ci")
        .withLeaseDurationSeconds(2).withAcquireTime(ClusterLease.time(renewed.minusSeconds(30)))
        .withRenewTime(ClusterLease.time(renewed)).withLeaseTransitions(3).endSpec().build()).create();
  }
}
