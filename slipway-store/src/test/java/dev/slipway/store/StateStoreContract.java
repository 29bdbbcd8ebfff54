package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link StateStore} must do, run against H2 ({@link H2StateStoreTest}) and PostgreSQL
 * ({@link PostgresStateStoreIT}).
 */
abstract class StateStoreContract extends StoreFixture {
  private static final int RACERS = 8;

  private StateStore store;

  /** The store most tests use, opened on first use. */
  protected final StateStore store() throws StoreException {
    if (store == null) {
      store = open();
    }
    return store;
  }

  /** Closes the store (and every other one this test opened) and opens a new one. */
  protected final StateStore reopen() throws StoreException {
    closeStores();
    store = open();
    return store;
  }

  /** Closes every store this test opened; the next {@link #store()} opens a new one. */
  private void closeStores() {
    closeAll();
    store = null;
  }

  // --- releases ---

  @Test
  void createRelease_numbersFromOnePerServiceAndEnvironment() throws Exception {
    assertThat(release("prod", "api").number()).isEqualTo(1);
    assertThat(release("prod", "api").number()).isEqualTo(2);
    assertThat(release("prod", "web").number()).isEqualTo(1);
    Release staging = release("staging", "api");
    Release third = release("prod", "api");

    assertThat(staging.number()).isEqualTo(1);
    assertThat(staging.id()).isEqualTo("api-r1");
    assertThat(third.number()).isEqualTo(3);
    assertThat(third.id()).isEqualTo("api-r3");
  }

  @Test
  void createRelease_storesEveryField() throws Exception {
    Release created = store().createRelease(new NewRelease("prod", "api", "1.4.2", "sha256:abc",
        "{\"port\":8080}", "{\"canary\":{}}", "alice"));

    assertThat(store().release("prod", "api-r1")).contains(created);
    assertThat(created.createdAt()).isNotNull();
    assertThat(created.artifactDigest()).isEqualTo("sha256:abc");
    assertThat(store().release("staging", "api-r1")).isEmpty();
    assertThat(store().release("prod", "api-r2")).isEmpty();
  }

  @Test
  void createRelease_keepsLargeJsonWhole() throws Exception {
    String big = "{\"x\":\"" + "y".repeat(200_000) + "\"}";
    store().createRelease(new NewRelease("prod", "api", "1", null, big, big, "alice"));

    assertThat(store().release("prod", "api-r1").orElseThrow().configJson()).isEqualTo(big);
  }

  @Test
  void releases_areListedNewestFirst() throws Exception {
    release("prod", "api");
    release("prod", "api");
    release("prod", "web");
    release("prod", "api");

    assertThat(store().releases("prod", "api")).extracting(Release::id).containsExactly("api-r3", "api-r2", "api-r1");
    assertThat(store().releases("staging", "api")).isEmpty();
  }

  @Test
  void artifactDigests_areThoseOfEveryReleaseInEveryEnvironment() throws Exception {
    assertThat(store().artifactDigests()).isEmpty();
    store().createRelease(new NewRelease("prod", "api", "1", "d1", "{}", "{}", "test"));
    store().createRelease(new NewRelease("prod", "api", "2", "d2", "{}", "{}", "test"));
    store().createRelease(new NewRelease("staging", "web", "1", "d3", "{}", "{}", "test"));
    store().createRelease(new NewRelease("staging", "web", "2", "d3", "{}", "{}", "test"));
    release("prod", "worker"); // no artifact: nothing to keep

    assertThat(store().artifactDigests()).containsExactlyInAnyOrder("d1", "d2", "d3");
  }

  // --- deployments ---

  @Test
  void startDeployment_startsPendingAtStepZero() throws Exception {
    release("prod", "api");

    Deployment d = store().startDeployment(new NewDeployment("prod", "api", null, "api-r1", "rolling", "{\"s\":0}"));

    assertThat(d.id()).isPositive();
    assertThat(d.state()).isEqualTo(DeploymentState.PENDING);
    assertThat(d.phase()).isEqualTo(DeploymentPhase.STARTING);
    assertThat(d.step()).isZero();
    assertThat(d.stepStateJson()).isEqualTo("{\"s\":0}");
    assertThat(d.revision()).isZero();
    assertThat(d.startedAt()).isNotNull().isEqualTo(d.updatedAt());
    assertThat(d.finishedAt()).isNull();
    assertThat(store().deployment(d.id())).contains(d);
    assertThat(store().activeDeployment("prod", "api")).contains(d);
  }

  @Test
  void startDeployment_whileAnotherIsActive_isRefusedNamingTheRunningOne() throws Exception {
    release("prod", "api");
    release("prod", "api");
    release("prod", "api");
    Deployment running = store().startDeployment(new NewDeployment("prod", "api", "api-r2", "api-r3", "canary", null));
    running = store().update(running.withState(DeploymentState.RUNNING).withStep(3, null));
    Deployment expected = running;

    assertThatThrownBy(() -> store().startDeployment(new NewDeployment("prod", "api", "api-r2", "api-r1", "rolling", null)))
        .isInstanceOfSatisfying(RolloutInProgressException.class, e -> assertThat(e.running()).isEqualTo(expected))
        .hasMessageMatching("api already has a deployment in progress: #" + running.id()
            + " \\(canary api-r2 → api-r3, RUNNING since (\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d:\\d\\d, step 3\\)");
  }

  @Test
  void startDeployment_ofOtherServicesAndEnvironments_isNotRefused() throws Exception {
    release("prod", "api");
    release("prod", "web");
    release("staging", "api");
    store().startDeployment(new NewDeployment("prod", "api", null, "api-r1", "rolling", null));

    store().startDeployment(new NewDeployment("prod", "web", null, "web-r1", "rolling", null));
    store().startDeployment(new NewDeployment("staging", "api", null, "api-r1", "rolling", null));

    assertThat(store().activeDeployments("prod")).extracting(Deployment::service).containsExactly("api", "web");
    assertThat(store().activeDeployments("staging")).hasSize(1);
    assertThat(store().activeDeployments("dev")).isEmpty();
  }

  @Test
  void startDeployment_racingOnSeparateConnections_hasExactlyOneWinner() throws Exception {
    release("prod", "api");
    List<StateStore> stores = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      stores.add(open());
    }
    assertExactlyOneWinner(stores);
  }

  @Test
  void startDeployment_racingThreadsOnOneStore_haveExactlyOneWinner() throws Exception {
    release("prod", "api");
    List<StateStore> stores = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      stores.add(store());
    }
    assertExactlyOneWinner(stores);
  }

  private void assertExactlyOneWinner(List<StateStore> stores) throws Exception {
    CyclicBarrier start = new CyclicBarrier(stores.size());
    List<Callable<Deployment>> racers = stores.stream().<Callable<Deployment>>map(s -> () -> {
      start.await(10, TimeUnit.SECONDS);
      return s.startDeployment(new NewDeployment("prod", "api", null, "api-r1", "rolling", null));
    }).toList();
    int won = 0;
    int refused = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(stores.size())) {
      for (Future<Deployment> f : pool.invokeAll(racers, 60, TimeUnit.SECONDS)) {
        try {
          f.get();
          won++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(RolloutInProgressException.class);
          refused++;
        }
      }
    }
    assertThat(won).isEqualTo(1);
    assertThat(refused).isEqualTo(stores.size() - 1);
    assertThat(store().history("prod", "api", 100)).hasSize(1);
  }

  @Test
  void startDeployment_ofAMissingRelease_isRefusedNamingIt() throws Exception {
    release("prod", "api");

    assertThatThrownBy(() -> store().startDeployment(new NewDeployment("prod", "api", null, "api-r7", "rolling", null)))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("there is no release api-r7 in prod; create the release first");
    assertThatThrownBy(() -> store().startDeployment(new NewDeployment("prod", "api", "api-r0", "api-r1", "rolling", null)))
        .hasMessageContaining("there is no release api-r0 in prod");
  }

  @Test
  void startDeployment_ofAnotherServicesRelease_isRefused() throws Exception {
    release("prod", "web");

    assertThatThrownBy(() -> store().startDeployment(new NewDeployment("prod", "api", null, "web-r1", "rolling", null)))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("release web-r1 in prod is a release of web, not of api");
  }

  @Test
  void update_withTheReadRevision_storesTheChangeAndBumpsTheRevision() throws Exception {
    Deployment d = started("prod", "api");

    Deployment updated = store().update(d.withState(DeploymentState.RUNNING).withPhase(DeploymentPhase.ROLLING_BACK)
        .withStep(2, "{\"weight\":25}").withReason("why not").withMeasurements("{\"p99\":12}"));

    assertThat(updated.revision()).isEqualTo(d.revision() + 1);
    assertThat(updated.state()).isEqualTo(DeploymentState.RUNNING);
    assertThat(updated.phase()).isEqualTo(DeploymentPhase.ROLLING_BACK);
    assertThat(updated.step()).isEqualTo(2);
    assertThat(updated.stepStateJson()).isEqualTo("{\"weight\":25}");
    assertThat(updated.reason()).isEqualTo("why not");
    assertThat(updated.measurementsJson()).isEqualTo("{\"p99\":12}");
    assertThat(updated.updatedAt()).isAfterOrEqualTo(d.updatedAt());
    assertThat(updated.startedAt()).isEqualTo(d.startedAt());
    assertThat(updated.finishedAt()).isNull();
    assertThat(store().deployment(d.id())).contains(updated);
  }

  @Test
  void update_withAStaleRevision_throwsStaleDeploymentException() throws Exception {
    Deployment d = started("prod", "api");
    Deployment mine = d.withState(DeploymentState.RUNNING);
    store().update(d.withState(DeploymentState.PAUSED).withReason("operator"));

    assertThatThrownBy(() -> store().update(mine))
        .isInstanceOfSatisfying(StaleDeploymentException.class, e -> {
          assertThat(e.expectedRevision()).isZero();
          assertThat(e.storedRevision()).isEqualTo(1);
        })
        .hasMessageContaining("deployment #" + d.id() + " was updated by someone else");
    assertThat(store().deployment(d.id()).orElseThrow().state()).isEqualTo(DeploymentState.PAUSED);
  }

  @Test
  void update_ofAnActiveDeploymentToPhaseDone_isRefused() throws Exception {
    Deployment d = started("prod", "api");

    assertThatThrownBy(() -> store().update(d.withState(DeploymentState.RUNNING).withPhase(DeploymentPhase.DONE)))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("deployment #" + d.id() + " is RUNNING, so its phase cannot be DONE; end it with a final state instead");
    assertThat(store().deployment(d.id()).orElseThrow().phase()).isEqualTo(DeploymentPhase.STARTING);
  }

  @Test
  void update_ofAMissingDeployment_isRefused() throws Exception {
    Deployment d = started("prod", "api");
    Deployment ghost = new Deployment(d.id() + 100, "prod", "api", null, "api-r1", "rolling", DeploymentState.RUNNING,
        DeploymentPhase.STARTING, 0, null, null, null, d.startedAt(), d.updatedAt(), null, 0);

    assertThatThrownBy(() -> store().update(ghost))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("there is no deployment #" + ghost.id());
  }

  @ParameterizedTest
  @EnumSource(value = DeploymentState.class, names = {"SUCCEEDED", "FAILED", "ROLLED_BACK", "ABORTED"})
  void update_toAFinalState_setsFinishedAtAndFreesTheService(DeploymentState finalState) throws Exception {
    Deployment d = started("prod", "api");
    d = store().update(d.withState(DeploymentState.RUNNING));

    Deployment finished = store().update(d.withState(finalState));

    assertThat(finished.finishedAt()).isNotNull().isEqualTo(finished.updatedAt());
    assertThat(finished.phase()).as("a finished deployment has nothing left to do").isEqualTo(DeploymentPhase.DONE);
    assertThat(store().activeDeployment("prod", "api")).isEmpty();
    assertThat(store().activeDeployments("prod")).isEmpty();
    Deployment next = store().startDeployment(new NewDeployment("prod", "api", "api-r1", "api-r1", "rolling", null));
    assertThat(store().activeDeployment("prod", "api")).contains(next);
  }

  @Test
  void update_ofAFinishedDeployment_keepsItFinished() throws Exception {
    Deployment d = store().update(started("prod", "api").withState(DeploymentState.FAILED).withReason("probe failed"));

    Deployment measured = store().update(d.withMeasurements("{\"errors\":0.3}"));

    assertThat(measured.finishedAt()).isEqualTo(d.finishedAt());
    assertThat(measured.measurementsJson()).isEqualTo("{\"errors\":0.3}");
    assertThatThrownBy(() -> store().update(measured.withState(DeploymentState.RUNNING)))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("deployment #" + d.id() + " has finished (FAILED) and cannot become RUNNING again;"
            + " start a new deployment");
  }

  @Test
  void history_listsTheServicesDeploymentsNewestFirstUpToTheLimit() throws Exception {
    release("prod", "api");
    release("prod", "web");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Deployment d = store().startDeployment(new NewDeployment("prod", "api", null, "api-r1", "rolling", null));
      ids.add(d.id());
      store().update(d.withState(DeploymentState.SUCCEEDED));
    }
    store().startDeployment(new NewDeployment("prod", "web", null, "web-r1", "rolling", null));

    assertThat(store().history("prod", "api", 3)).extracting(Deployment::id)
        .containsExactly(ids.get(3), ids.get(2), ids.get(1));
    assertThat(store().history("prod", "api", 100)).hasSize(4);
    assertThat(store().history("prod", "api", 0)).isEmpty();
    assertThat(store().history("staging", "api", 10)).isEmpty();
  }

  // --- current release ---

  @Test
  void currentRelease_isEmptyUntilSetAndThenFollowsTheLastSet() throws Exception {
    release("prod", "api");
    release("prod", "api");
    assertThat(store().currentRelease("prod", "api")).isEmpty();

    store().setCurrentRelease("prod", "api", "api-r1");
    assertThat(store().currentRelease("prod", "api")).contains("api-r1");

    store().setCurrentRelease("prod", "api", "api-r2");
    assertThat(store().currentRelease("prod", "api")).contains("api-r2");
    assertThat(store().currentRelease("staging", "api")).isEmpty();
  }

  @Test
  void setCurrentRelease_ofAMissingOrAnotherServicesRelease_isRefused() throws Exception {
    release("prod", "web");

    assertThatThrownBy(() -> store().setCurrentRelease("prod", "api", "api-r1"))
        .hasMessage("there is no release api-r1 in prod; create the release first");
    assertThatThrownBy(() -> store().setCurrentRelease("prod", "api", "web-r1"))
        .hasMessage("release web-r1 in prod is a release of web, not of api");
    assertThat(store().currentRelease("prod", "api")).isEmpty();
  }

  // --- events ---

  @Test
  void events_afterAnId_areReadOldestFirstAPageAtATime() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      ids.add(store().appendEvent(new NewEvent("prod", "api", null, "tick", "tick " + i, "{\"i\":" + i + "}")));
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates();

    List<StoredEvent> first = store().events("prod", null, 0, 2);
    List<StoredEvent> rest = store().events("prod", null, first.get(1).id(), 10);

    assertThat(first).extracting(StoredEvent::message).containsExactly("tick 1", "tick 2");
    assertThat(rest).extracting(StoredEvent::message).containsExactly("tick 3", "tick 4", "tick 5");
    assertThat(store().events("prod", null, ids.get(4), 10)).isEmpty();
    StoredEvent e = first.get(0);
    assertThat(e.id()).isEqualTo(ids.get(0));
    assertThat(e.time()).isNotNull();
    assertThat(e.environment()).isEqualTo("prod");
    assertThat(e.kind()).isEqualTo("tick");
    assertThat(e.detailsJson()).isEqualTo("{\"i\":1}");
    assertThat(e.deploymentId()).isNull();
  }

  @Test
  void events_ofAService_leaveOutOtherServicesAndEnvironments() throws Exception {
    Deployment d = started("prod", "api");
    store().appendEvent(new NewEvent("prod", "api", d.id(), "deployment.started", "api started", null));
    store().appendEvent(new NewEvent("prod", "web", null, "note", "web", null));
    store().appendEvent(new NewEvent("prod", null, null, "note", "everyone", null));
    store().appendEvent(new NewEvent("staging", "api", null, "note", "staging api", null));

    assertThat(store().events("prod", "api", 0, 10)).singleElement()
        .satisfies(e -> assertThat(e.deploymentId()).isEqualTo(d.id()))
        .satisfies(e -> assertThat(e.message()).isEqualTo("api started"));
    assertThat(store().events("prod", null, 0, 10)).extracting(StoredEvent::message)
        .containsExactly("api started", "web", "everyone");
    assertThat(store().events("staging", null, 0, 10)).extracting(StoredEvent::service).containsExactly("api");
  }

  @Test
  void events_appendedOnSeveralConnectionsAtOnce_reachATailingReaderEveryOne() throws Exception {
    int writers = 4;
    int each = 40;
    List<StateStore> stores = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      stores.add(open());
    }
    StateStore reader = store();
    Set<Long> appended = ConcurrentHashMap.newKeySet();
    List<Long> seen = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      List<Future<?>> writing = new ArrayList<>();
      for (StateStore s : stores) {
        writing.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            appended.add(s.appendEvent(new NewEvent("prod", "api", null, "tick", "tick", null)));
          }
          return null;
        }));
      }
      long last = 0;
      boolean writersDone = false;
      while (true) {
        List<StoredEvent> page = reader.events("prod", null, last, 7);
        for (StoredEvent e : page) {
          seen.add(e.id());
          last = e.id();
        }
        if (page.isEmpty() && writersDone) {
          break;
        }
        writersDone = writing.stream().allMatch(Future::isDone);
      }
      for (Future<?> f : writing) {
        f.get(); // rethrows a writer's failure
      }
    }
    assertThat(seen).hasSize(writers * each).isSorted().doesNotHaveDuplicates();
    assertThat(Set.copyOf(seen)).isEqualTo(appended);
  }

  @Test
  void appendEvent_forAMissingDeployment_isRefused() throws Exception {
    assertThatThrownBy(() -> store().appendEvent(new NewEvent("prod", "api", 999L, "note", "x", null)))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("there is no deployment #999");
  }

  // --- durability, migrations ---

  @Test
  void reopen_findsEverythingCommittedBefore() throws Exception {
    Release r = release("prod", "api");
    Deployment d = store().update(started("prod", "web").withState(DeploymentState.RUNNING).withStep(1, "{}"));
    store().setCurrentRelease("prod", "api", r.id());
    long event = store().appendEvent(new NewEvent("prod", "web", d.id(), "step", "step 1", null));

    StateStore again = reopen();

    assertThat(again.release("prod", "api-r1")).contains(r);
    assertThat(again.deployment(d.id())).contains(d);
    assertThat(again.activeDeployment("prod", "web")).contains(d);
    assertThat(again.currentRelease("prod", "api")).contains("api-r1");
    assertThat(again.events("prod", null, 0, 10)).extracting(StoredEvent::id).containsExactly(event);
    assertThat(again.createRelease(newRelease("prod", "api")).number()).isEqualTo(2);
  }

  @Test
  void reopen_ofAnUpToDateStore_appliesNoMigrationAgain() throws Exception {
    release("prod", "api");
    reopen();
    reopen();

    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"slipway_schema_history\""
             + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
      for (String version : Migrations.VERSIONS) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(version);
        assertThat(rs.getBoolean(2)).isTrue();
      }
      assertThat(rs.next()).as("one row per migration, applied once").isFalse();
    }
    assertThat(store().releases("prod", "api")).hasSize(1);
  }

  /** A store of Slipway before phases: its finished deployments become DONE, its active ones start over at STARTING. */
  @Test
  void migration2_givesEveryStoredDeploymentAPhase() throws Exception {
    Deployment finished = store().update(started("prod", "api").withState(DeploymentState.SUCCEEDED));
    Deployment active = store().update(started("prod", "web").withState(DeploymentState.RUNNING)
        .withPhase(DeploymentPhase.ANALYSING));
    closeStores();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.executeUpdate("ALTER TABLE deployments DROP CONSTRAINT deployments_phase_ck");
      s.executeUpdate("ALTER TABLE deployments DROP COLUMN phase");
      // A store from before V2 had none of the later migrations either.
      s.executeUpdate("DROP TABLE leases");
      s.executeUpdate("DELETE FROM \"slipway_schema_history\" WHERE \"version\" IN ('2', '3')");
      c.commit();
    }

    assertThat(store().deployment(finished.id()).orElseThrow().phase()).isEqualTo(DeploymentPhase.DONE);
    assertThat(store().deployment(active.id()).orElseThrow().phase()).isEqualTo(DeploymentPhase.STARTING);
  }

  @Test
  void open_ofAStoreMigratedByANewerSlipway_failsSayingSo() throws Exception {
    store();
    closeStores();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO \"slipway_schema_history\" (\"installed_rank\", \"version\", \"description\","
          + " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
          + " VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 1, 'test', 1, TRUE)");
      c.commit();
    }

    assertThatThrownBy(this::open)
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining("was written by a newer Slipway (schema version 99 is unknown to this one)")
        .hasMessageEndingWith("upgrade Slipway, or use --store to point at another database");
  }

  @Test
  void close_isIdempotentAndLaterCallsFailClearly() throws Exception {
    StateStore s = store();
    s.close();
    s.close();

    assertThatThrownBy(() -> s.releases("prod", "api"))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageEndingWith("is closed");
  }

  // --- helpers ---

  protected final Release release(String environment, String service) throws StoreException {
    return store().createRelease(newRelease(environment, service));
  }

  private static NewRelease newRelease(String environment, String service) {
    return new NewRelease(environment, service, "1.0", null, "{}", "{}", "test");
  }

  private Deployment started(String environment, String service) throws StoreException {
    Release r = release(environment, service);
    return store().startDeployment(new NewDeployment(environment, service, null, r.id(), "rolling", null));
  }
}
