package dev.slipway.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leases on PostgreSQL, shared by processes that may live on other hosts. */
class PostgresLeaseIT extends LeaseContract {
  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

  @Override
  protected String newDatabase() throws SQLException {
    return postgres.newDatabase();
  }

  @Test
  void aLiveHolderKeepsItsLeasePastTheTtl_andOnceKilledNine_theNextTakesItWithinTheTtl() throws Exception {
    Duration ttl = Duration.ofSeconds(2);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StoreChild.class.getName(),
        "lease-holder", stateDir.toString(), url(), Long.toString(ttl.toMillis()))
        .redirectError(stateDir.resolve("holder.err").toFile()).start();
    try {
      String line = holder.inputReader(UTF_8).readLine();
      assertThat(line).as("the holder's first line; its stderr: %s", stateDir.resolve("holder.err")).isEqualTo("leased 1");

      StateStore store = open();
      long until = System.nanoTime() + ttl.multipliedBy(2).toNanos();
      while (System.nanoTime() < until) {
        assertThatThrownBy(() -> store.leases().acquire("prod", A, ttl))
            .as("a live holder renews its lease: it is never taken")
            .isInstanceOfSatisfying(LeaseHeldException.class, e -> assertThat(e.held().holder().pid()).isEqualTo(holder.pid()));
        Thread.sleep(200);
      }

      holder.destroyForcibly(); // SIGKILL: no release
      assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
      long killed = System.nanoTime();
      Lease taken = null;
      while (taken == null) {
        try {
          taken = store.leases().acquire("prod", A, ttl);
        } catch (LeaseHeldException e) {
          assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("taken within the TTL").isLessThan(ttl.plusMillis(500));
          Thread.sleep(50);
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - killed);
      System.out.printf("lease taken %d ms after kill -9 of its holder (TTL %d ms)%n", took.toMillis(), ttl.toMillis());
      assertThat(taken.token()).isEqualTo(2);
    } finally {
      holder.destroyForcibly();
      holder.waitFor();
    }
  }

  @Test
  void acquire_ofALiveLeaseOfAnotherProcess_isRefused() throws Exception {
    LeaseHolder elsewhere = new LeaseHolder("build-2", 4242, "another-process", "/srv/a/slipway.yaml");
    open().leases().acquire("prod", elsewhere, TTL);

    assertThatThrownBy(() -> open().leases().acquire("prod", A, TTL))
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("pid 4242 on host build-2 (/srv/a/slipway.yaml)");
  }
}
