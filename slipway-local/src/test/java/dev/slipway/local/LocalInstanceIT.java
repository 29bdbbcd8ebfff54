package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.InstanceSpec;
import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.SecretMasker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInstanceIT {

  @TempDir
  Path base;
  private final SecretMasker masker = new SecretMasker();
  private LocalTarget target;

  @BeforeEach
  void setUp() {
    target = new LocalTarget("demo", base, base.resolve(".slipway"), masker);
  }

  @AfterEach
  void noProcessLeftBehind() throws Exception {
    target.close();
    Procs.assertNothingLeft(base);
  }

  private Instance start(String command) throws Exception {
    return start(command, Map.of());
  }

  private Instance start(String command, Map<String, String> env) throws Exception {
    return target.startInstance(new InstanceSpec("api", "api-1", "api-r1", "v1", command, null, env, 0, Duration.ofSeconds(2)));
  }

  @Test
  void instance_runsAsLeaderOfItsOwnSessionAndGroup_andIsRegistered() throws Exception {
    Instance api = start("sleep 300");

    ProcStat stat = ProcStat.read(api.pid()).orElseThrow();
    assertThat(stat.pgid()).isEqualTo(api.pid());
    assertThat(stat.session()).isEqualTo(api.pid());
    assertThat(api.state()).isEqualTo(ProcessState.RUNNING);
    assertThat(Files.readString(base.resolve(".slipway/run/processes.json")))
        .contains("\"api-1\"").contains("\"pid\" : " + api.pid());

    api.stop(Duration.ofSeconds(2));

    assertThat(api.state()).isEqualTo(ProcessState.STOPPED);
    assertThat(api.pid()).isEqualTo(-1);
    assertThat(Files.readString(base.resolve(".slipway/run/processes.json"))).doesNotContain("api-1");
  }

  @Test
  void instance_whenKilledWith9_isRestartedWithin1sAndCountsOneRestart() throws Exception {
    Instance api = start("sleep 300");
    long first = api.pid();

    long t0 = System.nanoTime();
    ProcessHandle.of(first).orElseThrow().destroyForcibly();
    boolean back = Procs.await(Duration.ofSeconds(1),
        () -> api.pid() > 0 && api.pid() != first && api.state() == ProcessState.RUNNING);
    long tookMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(back).as("restarted within 1 s").isTrue();
    assertThat(api.restarts()).isEqualTo(1);
    assertThat(Procs.alive(first)).isFalse();
    System.out.println("kill -9 to new incarnation: " + tookMs + " ms");
  }

  @Test
  void instance_whenCommandExitsImmediately_entersCrashLoopAndTellsListeners() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    // The short sleep lets the listener register before the first exit (it is added after the start).
    Instance api = start("sleep 0.3; echo boom; exit 3");
    api.onChange((i, state, detail) -> events.add(state + ": " + detail));

    boolean looping = Procs.await(Duration.ofSeconds(10), () -> api.state() == ProcessState.CRASH_LOOP
        && events.stream().anyMatch(e -> e.startsWith("CRASH_LOOP")));

    assertThat(looping).as("crash loop reported; events: %s", events).isTrue();
    System.out.println("events until the crash loop: " + events);
    assertThat(events).anySatisfy(e -> assertThat(e)
        .startsWith("CRASH_LOOP: code 3 after ")
        .endsWith("restarting in 1.6 s"));
    assertThat(events.getFirst()).matches("BACKOFF: code 3 after \\d+ ms; restarting in 100 ms");
    assertThat(events.get(1)).matches("RUNNING: new pid \\d+");
    assertThat(api.restarts()).isGreaterThanOrEqualTo(4);
    assertThat(api.exits()).isGreaterThanOrEqualTo(5);
    assertThat(api.tail(5)).contains("boom");
  }

  @Test
  void stop_killsGrandchildrenToo() throws Exception {
    Instance api = start("sleep 300 & sleep 300");
    long pgid = api.pid();
    assertThat(Procs.await(Duration.ofSeconds(2), () -> ProcessGroups.members(pgid).size() >= 2)).isTrue();
    List<Long> members = ProcessGroups.members(pgid).stream().map(ProcStat::pid).toList();

    api.stop(Duration.ofSeconds(2));

    assertThat(members).noneMatch(Procs::alive);
    assertThat(ProcessGroups.members(pgid)).isEmpty();
  }

  @Test
  void stop_whenTheProcessIgnoresTerm_killsItAfterTheGrace() throws Exception {
    Instance api = start("trap '' TERM; sleep 300 & wait; sleep 300");
    long pgid = api.pid();
    Procs.await(Duration.ofSeconds(2), () -> ProcessGroups.members(pgid).size() >= 2);

    long t0 = System.nanoTime();
    api.stop(Duration.ofMillis(500));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(tookMs).isBetween(450L, 4000L);
    assertThat(ProcessGroups.members(pgid)).isEmpty();
  }

  @Test
  void log_getsTheChildsOutputAndAHeaderLinePerStart() throws Exception {
    Instance api = start("echo hello from api; sleep 300");
    Path log = base.resolve(".slipway/logs/api-1.log");
    assertThat(Procs.await(Duration.ofSeconds(2), () -> api.tail(5).contains("hello from api"))).isTrue();

    api.restart("liveness failed");
    assertThat(Procs.await(Duration.ofSeconds(2), () -> api.tail(10).stream()
        .filter(l -> l.equals("hello from api")).count() == 2)).isTrue();

    assertThat(api.logFile()).contains(log);
    String text = Files.readString(log);
    assertThat(text).contains("--- slipway: starting api-1 (attempt 1) at ")
        .contains("--- slipway: restarting api-1: liveness failed")
        .contains("--- slipway: starting api-1 (attempt 2) at ");
    assertThat(api.restarts()).isEqualTo(1);
    assertThat(api.state()).isEqualTo(ProcessState.RUNNING);
  }

  @Test
  void tail_masksSecrets() throws Exception {
    masker.register("s3cr3t-value-42");
    Instance api = start("echo token=$API_TOKEN; sleep 300", Map.of("API_TOKEN", "s3cr3t-value-42"));

    assertThat(Procs.await(Duration.ofSeconds(2), () -> api.tail(5).contains("token=****"))).isTrue();
    assertThat(String.join("\n", api.tail(50))).doesNotContain("s3cr3t");
  }

  @Test
  void close_stopsEveryInstanceAndIsIdempotent() throws Exception {
    Instance a = start("sleep 300");
    Instance b = target.startInstance(new InstanceSpec("worker", "worker-1", "worker-r1", "v1", "sleep 300", null, Map.of(), 0,
        Duration.ofSeconds(2)));

    target.close();
    target.close();

    assertThat(a.state()).isEqualTo(ProcessState.STOPPED);
    assertThat(b.state()).isEqualTo(ProcessState.STOPPED);
    assertThat(Procs.under(base)).isEmpty();
  }
}
