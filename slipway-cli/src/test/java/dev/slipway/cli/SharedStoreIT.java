package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.DeploymentView;
import dev.slipway.api.HistoryView;
import dev.slipway.api.RolloutRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two control planes (two checkouts of one app) on one PostgreSQL store and one environment: the
 * second cannot touch the first's rollout while the first lives; after {@code kill -9} of the first,
 * the next control plane takes the environment over within the lease's TTL and finishes the rollout.
 */
class SharedStoreIT {
  @RegisterExtension
  static final TestPostgres POSTGRES = new TestPostgres();
  private static Path first;
  private static Path second;
  @RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> first);
  private static String store;

  @BeforeAll
  static void prepare() throws Exception {
    first = CliTestSupport.helloFixture("rollout", "slipway-shared-a");
    second = CliTestSupport.helloFixture("rollout", "slipway-shared-b");
    for (Path dir : new Path[] {first, second}) {
      Files.writeString(dir.resolve("slipway.yaml"), FailedTakeOverIT.MODEL);
    }
    store = POSTGRES.newStore("shared");
  }

  @AfterAll
  static void stop() {
    CliTestSupport.cli("down", "-f", first.resolve("slipway.yaml").toString());
    CliTestSupport.cli("down", "-f", second.resolve("slipway.yaml").toString());
  }

  @Test
  void secondControlPlane_cannotTouchALiveOnesRollout_andTakesOverWithinTheTtlAfterKillNine() throws Exception {
    String a = first.resolve("slipway.yaml").toString();
    String b = second.resolve("slipway.yaml").toString();
    CliTestSupport.Result upA = CliTestSupport.cli("up", "-f", a, "--store", store, "--detach");
    assertThat(upA.code()).as(upA.output()).isZero();
    ControlPlaneClient planeA = ControlPlaneClient.find(first.resolve(".slipway")).orElseThrow();
    long pidA = planeA.info().pid();
    long id = planeA.post(ReleaseCommands.path("api", "deploy"), new DeployRequest(null, Map.of("MARK", "1"), null,
        false, false), DeploymentView.class).id();
    DeploymentView paused = awaitState(planeA, id, "paused");

    CliTestSupport.Result upB = CliTestSupport.cli("up", "-f", b, "--store", store, "--detach");

    assertThat(upB.code()).as(upB.output()).isEqualTo(1);
    assertThat(upB.err()).as(upB.output())
        .containsPattern("environment dev is owned by another control plane: pid " + pidA + " on host \\S+ \\("
            + a + "\\) since \\d\\d:\\d\\d:\\d\\d, lease until \\d\\d:\\d\\d:\\d\\d; it renewed its lease while this"
            + " one waited, so it is alive")
        .contains("stop that control plane first (`slipway down` where it runs: host ", ", pid " + pidA + ")");
    assertThat(ControlPlaneClient.find(second.resolve(".slipway"))).isEmpty();
    assertThat(CliTestSupport.processesMentioning(second.toString())).as("the second started nothing").isEmpty();
    assertThat(deployment(planeA, id)).as("the first's rollout is untouched").isEqualTo(paused);

    String front = FailedTakeOverIT.api(planeA.status()).url();
    try (LoadGenerator load = new LoadGenerator(URI.create(front + "/"), 40, 4)) {
      load.start();
      OffsetDateTime killedAt = databaseNow();
      CliTestSupport.kill("KILL", pidA);
      FailedTakeOverIT.awaitDeath(pidA, Duration.ofSeconds(10));
      OffsetDateTime lapses = leaseColumn("expires_at"); // the dead holder's last renewal + TTL

      CliTestSupport.Result again = CliTestSupport.cli("up", "-f", a, "--store", store, "--detach");
      assertThat(again.code()).as(again.output()).isZero();
      ControlPlaneClient planeA2 = ControlPlaneClient.find(first.resolve(".slipway")).orElseThrow();
      try (Connection c = POSTGRES.connect("shared"); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT token, holder_pid, acquired_at FROM leases WHERE environment = 'dev'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("token")).as("taken over once: a higher token").isEqualTo(2);
        assertThat(rs.getLong("holder_pid")).isEqualTo(planeA2.info().pid());
        OffsetDateTime taken = rs.getObject("acquired_at", OffsetDateTime.class);
        Duration afterKill = Duration.between(killedAt, taken);
        Duration afterLapse = Duration.between(lapses, taken);
        System.out.printf("SharedStoreIT: lease taken over %d ms after kill -9 of its holder, %d ms after it lapsed%n",
            afterKill.toMillis(), afterLapse.toMillis());
        assertThat(afterLapse).as("not before the dead holder's lease lapsed, and promptly then").isGreaterThanOrEqualTo(Duration.ZERO)
            .isLessThan(Duration.ofSeconds(1));
        assertThat(afterKill).as("within the lease's TTL (10 s) of the kill, give or take that")
            .isLessThan(Duration.ofSeconds(11));
      }
      assertThat(deployment(planeA2, id).state()).as("the rollout was re-adopted where it stood").isEqualTo("paused");
      planeA2.post(ReleaseCommands.path("api", "promote"), new RolloutRequest(false, null), DeploymentView.class);
      assertThat(FailedTakeOverIT.awaitEnd(planeA2, id).state()).isEqualTo("succeeded");
      load.close();
      assertThat(load.failedExcept("none")).as("failed requests; " + load.failures).isZero();
    }

    CliTestSupport.Result downA = CliTestSupport.cli("down", "-f", a);
    assertThat(downA.code()).as(downA.output()).isZero();
    CliTestSupport.Result upB2 = CliTestSupport.cli("up", "-f", b, "--store", store, "--detach");
    assertThat(upB2.code()).as("a cleanly stopped control plane gave the lease up: " + upB2.output()).isZero();
    ControlPlaneClient planeB = ControlPlaneClient.find(second.resolve(".slipway")).orElseThrow();
    HistoryView shared = planeB.get(ReleaseCommands.path("api", "history"), HistoryView.class);
    assertThat(shared.releases()).as("one history, shared").extracting(HistoryView.ReleaseView::id)
        .contains("api-r1", "api-r2");
    assertThat(shared.deployments()).anyMatch(d -> d.id() == id && d.state().equals("succeeded"));

    losingTheLease_stopsTheControlPlaneActing_butNotTheStackServing(b, planeB);
  }

  /**
   * Another control plane takes the lease (as after a network partition that outlasted the TTL):
   * the holder's next renewal is refused, and it stops: no more writes, its paused rollout left as
   * stored, its processes left serving.
   */
  private void losingTheLease_stopsTheControlPlaneActing_butNotTheStackServing(String b, ControlPlaneClient planeB)
      throws Exception {
    long id = planeB.post(ReleaseCommands.path("api", "deploy"), new DeployRequest(null, Map.of("MARK", "2"), null,
        false, false), DeploymentView.class).id();
    awaitState(planeB, id, "paused");
    String front = FailedTakeOverIT.api(planeB.status()).url();
    long pidB = planeB.info().pid();
    try (Connection c = POSTGRES.connect("shared"); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE leases SET token = token + 1, holder_host = 'elsewhere', holder_pid = 7,"
          + " holder_process = 'another', holder_detail = '/srv/shop/slipway.yaml', acquired_at = CURRENT_TIMESTAMP, expires_at = CURRENT_TIMESTAMP + INTERVAL '1 minute'"
          + " WHERE environment = 'dev'");
    }

    FailedTakeOverIT.awaitDeath(pidB, Duration.ofSeconds(15)); // it renews every 3.3 s
    String log = Files.readString(second.resolve(".slipway/logs/control-plane.log"));
    assertThat(log).contains("warning this control plane no longer owns environment dev (lease token 3): control plane"
        + " pid 7 on host elsewhere (/srv/shop/slipway.yaml) took it over at ", "(lease token 4); this control plane"
        + " stops acting and stops nothing: the router, instances and backing services keep serving as they were",
        "`slipway up` takes over again; `slipway down` stops everything",
        "control plane exiting; takeover keeps running without it");
    try (Connection c = POSTGRES.connect("shared"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT state FROM deployments WHERE id = " + id)) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).as("nothing written after the lease was lost").isEqualTo("PAUSED");
    }
    java.net.http.HttpResponse<Void> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(URI.create(front + "/")).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).as("the router and instances keep serving").isEqualTo(200);
    CliTestSupport.Result downB = CliTestSupport.cli("down", "-f", b);
    assertThat(downB.code()).as(downB.output()).isZero();
    assertThat(CliTestSupport.processesMentioning(second.toString())).isEmpty();
  }

  private static OffsetDateTime leaseColumn(String column) throws Exception {
    try (Connection c = POSTGRES.connect("shared"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT " + column + " FROM leases WHERE environment = 'dev'")) {
      assertThat(rs.next()).isTrue();
      return rs.getObject(1, OffsetDateTime.class);
    }
  }

  private static OffsetDateTime databaseNow() throws Exception {
    try (Connection c = POSTGRES.connect("shared"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class);
    }
  }

  private static DeploymentView deployment(ControlPlaneClient client, long id) {
    return client.get(ReleaseCommands.path("api", "history"), HistoryView.class).deployments().stream()
        .filter(d -> d.id() == id).findFirst().orElseThrow();
  }

  private static DeploymentView awaitState(ControlPlaneClient client, long id, String state) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    DeploymentView last = null;
    while (System.nanoTime() < deadline) {
      last = deployment(client, id);
      if (last.state().equals(state)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("deployment #" + id + " did not become " + state + "; last seen " + last);
  }
}
