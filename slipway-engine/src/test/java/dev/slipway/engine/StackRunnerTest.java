package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.EventKind;
import dev.slipway.api.EventView;
import dev.slipway.api.StatusView;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.slipway.store.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackRunnerTest {
  private static final String MODEL = """
      name: shop
      services:
        api:
          build: { command: "make api", inputs: [] }
          run: "api --db ${resources.db.url}"
          port: 8080
          health: { ready: /ready, startupTimeout: 2s }
          env:
            DB_PASSWORD: ${resources.db.password}
            TOKEN: ${secrets.token}
          dependsOn: { db: healthy }
        web:
          run: "web"
          port: 8080
          health: { ready: /ready }
          env:
            API_URL: ${services.api.url}
          dependsOn: { api: healthy }
      secrets:
        token: env:SHOP_TOKEN
      resources:
        db: { type: postgres }
      """;

  private final FakeTarget target = new FakeTarget();
  private final SecretMasker masker = new SecretMasker();
  private final EventLog events = new EventLog(masker);
  private StackRunner runner;
  private StateStore store;
  @TempDir
  Path stateDir;

  @BeforeEach
  void openStore() throws Exception {
    store = StateStore.open(null, stateDir);
  }

  @AfterEach
  void stop() {
    if (runner != null) {
      runner.down(false);
    }
    store.close();
  }

  @Test
  void up_startsEachServiceOnlyAfterWhatItWaitsForIsHealthy_andResolvesReferences() throws Exception {
    target.healthyAfter.put("db", Duration.ofMillis(300));
    runner = runner(MODEL);

    runner.up();

    List<String> calls = List.copyOf(target.calls);
    assertThat(calls).startsWith("cleanup");
    assertThat(calls.indexOf("start api-r1-1")).isGreaterThan(calls.indexOf("resource db"));
    assertThat(calls.indexOf("start web-r1-1")).isGreaterThan(calls.indexOf("start api-r1-1"));
    assertThat(calls).contains("route api {api-r1=100}", "route web {web-r1=100}");
    FakeTarget.FakeInstance api = target.instances.get(0);
    FakeTarget.FakeInstance web = target.instances.get(1);
    assertThat(api.spec.command()).isEqualTo("api --db postgresql://u:s3cr3t-db@127.0.0.1:5432/db");
    assertThat(api.spec.env()).containsEntry("DB_PASSWORD", "s3cr3t-db").containsEntry("TOKEN", "tok-123456")
        .containsEntry("PORT", Integer.toString(api.port())).containsEntry("SLIPWAY_RELEASE", "api-r1");
    assertThat(api.spec.env().get("APP_VERSION")).matches("[0-9a-f]{12}");
    // Other services reach it through the router's stable front port, not an instance.
    assertThat(web.spec.env()).containsEntry("API_URL", "http://127.0.0.1:" + target.traffic.fronts.get("api"));
    assertThat(kinds()).contains(EventKind.STACK_READY);
  }

  @Test
  void status_showsEveryPart_andNoSecret() throws Exception {
    runner = runner(MODEL);
    runner.up();

    StatusView status = runner.status(null);

    assertThat(status.state()).isEqualTo("ready");
    assertThat(status.services()).extracting(StatusView.ServiceView::name, StatusView.ServiceView::healthy)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("api", true), org.assertj.core.groups.Tuple.tuple("web", true));
    assertThat(status.resources().getFirst().healthy()).isTrue();
    assertThat(status.toString()).doesNotContain("s3cr3t").doesNotContain("tok-123456");
  }

  @Test
  void up_whenABuildFails_failsWithTheBuildsEvidence_andStartsNoService() {
    target.failingBuilds.add("api");
    runner = runner(MODEL);

    assertThatThrownBy(runner::up).isInstanceOf(EngineException.class)
        .hasMessage("build of api failed with exit code 1");

    assertThat(target.calls).noneMatch(c -> c.startsWith("start "));
    EventView failed = events.after(0).stream().filter(e -> e.kind().equals(EventKind.UP_FAILED)).findFirst().orElseThrow();
    assertThat(failed.details().get("log")).isEqualTo(List.of("[ERROR] COMPILATION ERROR", "Foo.java:[3,1] oops"));
    assertThat(failed.details().get("hint")).isEqualTo("see .slipway/logs/build-api.log");
  }

  @Test
  void up_whenReadinessNeverPasses_failsAtTheStartupTimeout_withTheLastCheckAndMaskedLogLines() {
    target.readyStatus.put("api", 503);
    runner = runner(MODEL);
    long t0 = System.nanoTime();

    assertThatThrownBy(runner::up).isInstanceOf(EngineException.class)
        .hasMessage("api did not become ready within 2 s (last check: GET /ready: answered HTTP 503)")
        .satisfies(e -> assertThat(((EngineException) e).details()).containsExactly("starting api-r1-1", "password is ****"));

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(target.calls).doesNotContain("start web-r1-1");
  }

  @Test
  void up_whenAnInstanceCrashLoops_failsWithoutWaitingForTheTimeout() {
    target.crashLooping.add("api");
    runner = runner(MODEL);

    assertThatThrownBy(runner::up).isInstanceOf(EngineException.class)
        .hasMessage("api keeps crashing (5 exits) and never became ready: its last output: password is ****");
  }

  @Test
  void up_whenASecretIsMissing_namesItAndHowToProvideIt() {
    runner = new StackRunner(load(MODEL), target, store, events, masker, EngineSettings.defaults(), Map.of());

    assertThatThrownBy(runner::up).isInstanceOf(EngineException.class)
        .hasMessage("secret `token` comes from environment variable SHOP_TOKEN, which is not set")
        .satisfies(e -> assertThat(((EngineException) e).hint()).startsWith("export SHOP_TOKEN="));
  }

  @Test
  void down_stopsServicesBeforeTheResourcesTheyUse() throws Exception {
    runner = runner(MODEL);
    runner.up();

    runner.down(false);

    List<String> stops = target.calls.stream().filter(c -> c.startsWith("stop ")).toList();
    assertThat(stops).containsExactly("stop web-r1-1", "stop api-r1-1", "stop db");
    assertThat(target.closed).isTrue();
    assertThat(runner.state()).isEqualTo("stopped");
    runner = null;
  }

  private List<String> kinds() {
    return events.after(0).stream().map(EventView::kind).toList();
  }

  private StackRunner runner(String yaml) {
    return new StackRunner(load(yaml), target, store, events, masker, EngineSettings.defaults(),
        Map.of("SHOP_TOKEN", "tok-123456"));
  }

  private static AppSpec load(String yaml) {
    return ModelLoader.parse(yaml, Path.of("/tmp/stack-runner-test/slipway.yaml"), null);
  }
}
